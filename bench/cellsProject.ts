import { newProjectData } from '../src/model/projectFactory';
import type { ProjectData } from '../src/model/projectData';
import type { Annotation } from '../src/model/types';
import { SYNTHETIC_HEIGHT, SYNTHETIC_MPP, SYNTHETIC_WIDTH } from '../src/synthetic/slide';
import { CELL_CLASSES, cellId, cellPoints, type CellSet } from './cellsFormat';

export const BENCH_IMAGE_ID = 'bench-slide';

/** A pathology project with one synthetic slide and `cells` as one annotator's outlines on it. */
export function projectFromCells(cells: CellSet, opts: { name: string; now: string; annotator: { id: string; displayName: string }; idPrefix?: string }): ProjectData {
  const { now, annotator } = opts;
  const data = newProjectData({ name: opts.name, template: 'pathology-cells', now });
  const pid = data.project.id;
  const schema = data.schemas[0];
  data.images.push({
    id: BENCH_IMAGE_ID,
    projectId: pid,
    name: 'Synthetic H&E slide (seed 1)',
    modality: 'pathology-wsi',
    source: { kind: 'synthetic', seed: 1 },
    width: SYNTHETIC_WIDTH,
    height: SYNTHETIC_HEIGHT,
    mpp: SYNTHETIC_MPP,
    order: 0,
    addedAt: now,
  });
  data.annotators.push({ ...annotator, projectId: pid });
  data.statuses.push({ id: `${BENCH_IMAGE_ID}~${annotator.id}`, projectId: pid, imageId: BENCH_IMAGE_ID, annotatorId: annotator.id, state: 'in-progress', noFinding: false, updatedAt: now });
  const annotations: Annotation[] = new Array(cells.count);
  for (let i = 0; i < cells.count; i++) {
    annotations[i] = {
      id: (opts.idPrefix ?? '') + cellId(cells.tag[i]),
      projectId: pid,
      imageId: BENCH_IMAGE_ID,
      classId: CELL_CLASSES[cells.classIndex[i]],
      attributes: {},
      geometry: { type: 'polygon', points: cellPoints(cells, i) },
      annotatorId: annotator.id,
      schemaId: schema.id,
      schemaVersion: schema.version,
      provenance: { kind: 'import' },
      createdAt: now,
      updatedAt: now,
    };
  }
  data.annotations = annotations;
  return data;
}
