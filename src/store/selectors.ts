import type { Annotation } from '../model/types';
import { annotationsOnImage, type DocState } from './docState';

/**
 * Blind annotation: while annotating, a person sees only their own labels, unless the project is
 * in review mode. Agreement measured later means something only if nobody copied anybody.
 */
export function canSee(doc: DocState, annotation: Annotation, annotatorId: string | undefined): boolean {
  return doc.project.reviewMode || annotation.annotatorId === annotatorId;
}

export function visibleAnnotationsOn(doc: DocState, imageId: string, annotatorId: string | undefined): Annotation[] {
  return annotationsOnImage(doc, imageId).filter((a) => canSee(doc, a, annotatorId));
}

export function myImageLabels(doc: DocState, imageId: string, annotatorId: string): Annotation[] {
  return annotationsOnImage(doc, imageId).filter((a) => a.annotatorId === annotatorId && a.geometry === null);
}
