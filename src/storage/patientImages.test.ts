// The patient view's read: every image of one pseudonym across projects, with its labels, whether
// they lie in packs (a big slide), in rows, or were edited or deleted since packing.
import { describe, expect, it } from 'vitest';
import { created, deleted, updated } from '../model/changes';
import { openGranulaDb } from './db';
import { imagesOfPatient } from './repository';
import { bigProject, cell, storeImport, useSmallPacks } from './testProjects';
import { writeChangesMerging } from './writes';

describe('images of one patient across projects', () => {
  useSmallPacks();

  it('finds the patient in two projects, counts packed and loose labels as they now stand, and passes over everyone else', async () => {
    const db = await openGranulaDb('patient');
    const pathology = bigProject();
    pathology.images[0].patientKey = 'pk-aaaaaaaaaaaaaaaaaaaaaaaaaa';
    pathology.images[1].patientKey = 'pk-bbbbbbbbbbbbbbbbbbbbbbbbbb';
    const ct = bigProject(3);
    ct.project = { ...ct.project, id: 'prj_ct', name: 'CT' };
    ct.images = ct.images.map((im) => ({ ...im, projectId: 'prj_ct', id: `ct-${im.id}`, patientKey: im.id === 'slide' ? 'pk-aaaaaaaaaaaaaaaaaaaaaaaaaa' : undefined }));
    ct.annotations = ct.annotations.map((a) => ({ ...a, projectId: 'prj_ct', imageId: `ct-${a.imageId}`, id: `ct-${a.id}` }));
    ct.annotators = ct.annotators.map((a) => ({ ...a, projectId: 'prj_ct' }));
    ct.statuses = [];
    await storeImport(db, pathology);
    await storeImport(db, ct);
    expect(await db.count('annotationPacks')).toBeGreaterThan(0);

    // Since packing: one packed shape deleted, one reclassified, one added.
    const slide = pathology.annotations.filter((a) => a.imageId === 'slide');
    await writeChangesMerging(db, 'prj_big', [deleted('annotation', slide[0]), updated('annotation', slide[1], { ...slide[1], classId: 'stroma' }), created('annotation', cell(99_999, 'slide'))]);

    const found = await imagesOfPatient(db, 'pk-aaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(found.map((f) => [f.project.name, f.image.id]).sort()).toEqual([['Big slide', 'slide'], ['CT', 'ct-slide']]);
    const big = found.find((f) => f.image.id === 'slide')!;
    const classes = (list: typeof big.labels) => list.reduce<Record<string, number>>((m, l) => ((m[l.classId] = (m[l.classId] ?? 0) + 1), m), {});
    // What the stored project now holds for that image, counted apart by class.
    const expected = [...slide.slice(2), { ...slide[1], classId: 'stroma' }, cell(99_999, 'slide')];
    expect(classes(big.labels)).toEqual(classes(expected.map((a) => ({ classId: a.classId, schemaId: a.schemaId, schemaVersion: a.schemaVersion, annotatorId: a.annotatorId, shape: a.geometry !== null }))));
    expect(big.labels).toHaveLength(expected.length);
    expect(found.find((f) => f.image.id === 'ct-slide')!.labels).toHaveLength(3);
    // The other patient's small image, with its image-level label, is its own.
    const other = await imagesOfPatient(db, 'pk-bbbbbbbbbbbbbbbbbbbbbbbbbb');
    expect(other.map((f) => [f.image.id, f.labels.filter((l) => !l.shape).length])).toEqual([['small', 1]]);
    db.close();
  });
});
