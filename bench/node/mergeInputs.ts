// Writes the team loop's gather workload: the coordinator's project with annotator a's outlines on
// the slide, and annotator b's return of the same project with b's own outlines (the agreement
// workload's two annotators, now as a base and a return).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toSharedDocument } from '../../src/formats/shared/convert';
import { makeReturn } from '../../src/team/packages';
import { benchCells } from '../cells';
import { projectFromCells } from '../cellsProject';

const n = Number(process.argv[2]);
const dir = process.argv[3];
const now = '2025-01-01T00:00:00.000Z';
const cells = benchCells(n, () => {});
const base = projectFromCells(cells, { name: 'Gather', now, annotator: { id: 'rater-a', displayName: 'Rater a' }, idPrefix: 'a-' });
base.annotators[0].role = 'coordinator';
const b = projectFromCells(cells, { name: 'Gather', now, annotator: { id: 'rater-b', displayName: 'Rater b' }, idPrefix: 'b-' });
const copy = { ...b, project: base.project, schemas: base.schemas, images: base.images.map((im) => ({ ...im })) };
copy.annotations = b.annotations.map((a) => ({ ...a, projectId: base.project.id, schemaId: base.schemas[0].id }));
copy.statuses = b.statuses.map((s) => ({ ...s, projectId: base.project.id }));
writeFileSync(join(dir, `merge-base-${n}.json`), JSON.stringify(toSharedDocument(base, { exportedAt: now })) + '\n');
writeFileSync(join(dir, `merge-return-${n}.json`), JSON.stringify(makeReturn(copy, 'rater-b', now)) + '\n');
console.log(JSON.stringify({ base: base.annotations.length, returned: copy.annotations.length }));
