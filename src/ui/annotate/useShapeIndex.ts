import { useEffect, useMemo, useState } from 'react';
import type { Annotation } from '../../model/types';
import { annotationsOnImage } from '../../store/docState';
import { onDocChanges, useDocStore } from '../../store/docStore';
import { canSee } from '../../store/selectors';
import { SpatialIndex } from '../../viewer/spatialIndex';

/**
 * The spatial index of the shapes this person may see on one image, kept in step with every
 * change (local, undo, other tabs) without rebuilding it. `revision` bumps when it changes.
 */
export function useShapeIndex(imageId: string, annotatorId: string | undefined, reviewMode: boolean) {
  const [revision, setRevision] = useState(0);
  const index = useMemo(() => {
    const doc = useDocStore.getState().doc;
    if (!doc) return new SpatialIndex();
    return new SpatialIndex(
      annotationsOnImage(doc, imageId)
        .filter((a) => a.geometry && canSee(doc, a, annotatorId))
        .map((a) => ({ id: a.id, geometry: a.geometry! })),
    );
  }, [imageId, annotatorId, reviewMode]);

  useEffect(
    () =>
      onDocChanges((_p, changes) => {
        const doc = useDocStore.getState().doc;
        if (!doc) return;
        let touched = false;
        for (const c of changes) {
          if (c.kind !== 'annotation') continue;
          const before = c.before as Annotation | undefined;
          const after = c.after as Annotation | undefined;
          if (before?.imageId === imageId) {
            index.remove(c.id);
            touched = true;
          }
          if (after?.imageId === imageId && after.geometry && canSee(doc, after, annotatorId)) {
            index.upsert({ id: after.id, geometry: after.geometry });
            touched = true;
          }
        }
        if (touched) setRevision((r) => r + 1);
      }),
    [index, imageId, annotatorId],
  );

  return { index, revision };
}
