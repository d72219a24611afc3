import type { ProjectData } from './projectData';
import type { Annotation } from './types';

/**
 * A project's annotations as a writer reads them: counted, walked in stored order, or one image's
 * at a time, each built when it is reached and dropped when the reader moves on. A slide with a
 * million cell outlines is then written without a million objects alive at once (storage keeps them
 * packed: storage/annotationPack's `packedSource`); an array (the CLI, a small project) is one too.
 *
 * Each walk may build its annotations afresh: a caller that needs one twice keeps it.
 */
export interface AnnotationSource extends Iterable<Annotation> {
  /** How many annotations a walk yields. */
  readonly count: number;
  /** The same walk with geometry only named (see AnnotationFields): for a pass that needs the other fields. */
  fields(): Iterable<AnnotationFields>;
  /** One image's annotations, in the order a whole walk yields them. */
  forImage(imageId: string): Iterable<Annotation>;
  /** The same annotations but those of these images. */
  withoutImages(imageIds: ReadonlySet<string>): AnnotationSource;
}

/**
 * An annotation whose geometry is only named: `{ type }` when it has a shape (a stored annotation's
 * may be nothing more), null for an image-level label, undefined when it has none at all. Every
 * Annotation is one.
 */
export type AnnotationFields = Omit<Annotation, 'geometry'> & { geometry: { readonly type: string } | null | undefined };

/** Annotations as a writer takes them: an array, or a source that builds them as they are read. */
export type Annotations = readonly Annotation[] | AnnotationSource;

/** A project whose annotations may come from a source (what the export writers take). */
export interface SourcedProject extends Omit<ProjectData, 'annotations'> {
  annotations: Annotations;
}

/** Annotations held in an array. */
export class ArraySource implements AnnotationSource {
  private byImage: Map<string, Annotation[]> | null = null;

  constructor(private readonly list: readonly Annotation[]) {}

  get count(): number {
    return this.list.length;
  }

  [Symbol.iterator](): Iterator<Annotation> {
    return this.list[Symbol.iterator]();
  }

  fields(): Iterable<AnnotationFields> {
    return this.list;
  }

  forImage(imageId: string): Iterable<Annotation> {
    if (!this.byImage) {
      this.byImage = new Map();
      for (const a of this.list) {
        const group = this.byImage.get(a.imageId);
        if (group) group.push(a);
        else this.byImage.set(a.imageId, [a]);
      }
    }
    return this.byImage.get(imageId) ?? [];
  }

  withoutImages(imageIds: ReadonlySet<string>): ArraySource {
    return new ArraySource(this.list.filter((a) => !imageIds.has(a.imageId)));
  }
}

/** The annotations as a source (an array is wrapped; a source is itself). */
export function annotationSource(annotations: Annotations): AnnotationSource {
  return isSource(annotations) ? annotations : new ArraySource(annotations);
}

function isSource(annotations: Annotations): annotations is AnnotationSource {
  return !Array.isArray(annotations);
}

/** How many annotations, without walking a source. */
export function annotationCount(annotations: Annotations): number {
  return isSource(annotations) ? annotations.count : annotations.length;
}
