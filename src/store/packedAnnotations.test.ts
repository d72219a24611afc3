import { expect, it } from 'vitest';
import { sampleProjectData, withSlideOutlines } from '../formats/testData';
import type { Annotation } from '../model/types';
import { packAnnotations, PackedStore, PackReader } from '../storage/annotationPack';
import { AnnotationMap, forEachFields } from './packedAnnotations';

// The counts the worklist, team and agreement tabs show are read from the packs' fields, building no
// outline: they must equal what reading every built annotation gives (the reference), with entries
// edited after packing (a row shadows the packed one), deleted, and added as rows.
it('forEachFields reads the same fields as the built annotations, and builds none', () => {
  const data = withSlideOutlines(sampleProjectData('pathology-cells', { images: 2, annotators: ['dr-a', 'dr-b'] }), 300);
  const byImage = new Map<string, Annotation[]>();
  for (const a of data.annotations) byImage.set(a.imageId, [...(byImage.get(a.imageId) ?? []), a]);
  const store = new PackedStore([...byImage].map(([imageId, list]) => new PackReader(packAnnotations(list), data.project.id, imageId)));
  const [first, second, third] = data.annotations;
  const edited = { ...second, annotatorId: 'dr-c', classId: 'lymphocyte' };
  const added = { ...first, id: 'ann_new', annotatorId: 'dr-d' };
  const map = new AnnotationMap(store, [edited, added], [third.id]);

  const seen: [string, string, string, string][] = [];
  forEachFields(map, ['id', 'imageId', 'annotatorId', 'classId'], (a) => seen.push([a.id, a.imageId, a.annotatorId, a.classId]));
  const reference = [...map.values()].map((a) => [a.id, a.imageId, a.annotatorId, a.classId]);
  expect(seen.sort()).toEqual(reference.sort());
  // What the edits did, by hand: the third is gone, the second is dr-c's now, dr-d's one is new.
  expect(seen.find((r) => r[0] === third.id)).toBeUndefined();
  expect(seen.filter((r) => r[0] === second.id)).toEqual([[second.id, second.imageId, 'dr-c', 'lymphocyte']]);
  expect(seen.filter((r) => r[2] === 'dr-d').map((r) => r[0])).toEqual(['ann_new']);
  expect(seen.length).toBe(data.annotations.length);
});

it('forEachFields keeps nothing built: a later read builds each annotation afresh', () => {
  const data = withSlideOutlines(sampleProjectData('pathology-cells', { images: 1, annotators: ['dr-a'] }), 50);
  const store = new PackedStore([new PackReader(packAnnotations(data.annotations), data.project.id, data.images[0].id)]);
  const map = new AnnotationMap(store);
  let n = 0;
  forEachFields(map, ['annotatorId'], () => n++);
  expect(n).toBe(data.annotations.length);
  // The store's cache is empty: peek gives the kept object if there is one, else a fresh one each time.
  for (let o = 0; o < store.count; o++) expect(store.peek(o)).not.toBe(store.peek(o));
  // (Reading through the map keeps them: the reference this walk must not behave like.)
  void [...map.values()];
  expect(store.peek(0)).toBe(store.peek(0));
});
