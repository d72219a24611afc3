// Test-only: a source over an array that records which walks were made of it.
import { ArraySource, type AnnotationSource } from './annotationSource';
import type { Annotation } from './types';

/** `read` gains 'all' for a whole walk, 'fields' for a walk of fields, the image id for one image's. */
export function recordingSource(list: readonly Annotation[]): { source: AnnotationSource; read: string[] } {
  const inner = new ArraySource(list);
  const read: string[] = [];
  const source: AnnotationSource = {
    count: inner.count,
    [Symbol.iterator]: () => (read.push('all'), inner[Symbol.iterator]()),
    fields: () => (read.push('fields'), inner.fields()),
    forImage: (id) => (read.push(id), inner.forImage(id)),
    withoutImages: (ids) => inner.withoutImages(ids),
  };
  return { source, read };
}
