import type { MajorityLabel } from '../agreement';
import type { Geometry } from '../model/types';
import { addAnnotations, updateAnnotations } from './actions';
import { annotationsOnImage } from './docState';
import { useDocStore } from './docStore';

/** Consensus is saved as its own annotator and exported like any other. */
export const CONSENSUS_ANNOTATOR = 'consensus';

/**
 * The majority label of every image becomes the consensus annotator's label; ties are left for a
 * reviewer (returned) rather than decided arbitrarily. Existing consensus labels are updated.
 */
export function makeLabelConsensus(majority: readonly MajorityLabel[], reviewer: string): { made: number; ties: MajorityLabel[] } {
  const doc = useDocStore.getState().doc;
  if (!doc) return { made: 0, ties: [] };
  const ties = majority.filter((m) => m.tie);
  const creates: Parameters<typeof addAnnotations>[0] = [];
  const updates: Parameters<typeof updateAnnotations>[0] = [];
  for (const m of majority) {
    if (m.label === null || !doc.images.has(m.item)) continue;
    const existing = annotationsOnImage(doc, m.item).find((a) => a.annotatorId === CONSENSUS_ANNOTATOR && a.geometry === null);
    if (existing) {
      if (existing.classId !== m.label) updates.push({ id: existing.id, patch: { classId: m.label, provenance: { kind: 'consensus', acceptedBy: reviewer } } });
    } else {
      creates.push({ imageId: m.item, annotatorId: CONSENSUS_ANNOTATOR, classId: m.label, attributes: {}, geometry: null, provenance: { kind: 'consensus', acceptedBy: reviewer } });
    }
  }
  if (creates.length) addAnnotations(creates, 'Make consensus labels');
  if (updates.length) updateAnnotations(updates, 'Update consensus labels');
  return { made: creates.length + updates.length, ties };
}

export function setConsensusLabel(imageId: string, classId: string, reviewer: string): void {
  makeLabelConsensus([{ item: imageId, label: classId, votes: 0, ratings: 0, tie: false, tied: [] }], reviewer);
}

export function acceptConsensusShapes(items: { imageId: string; classId: string; geometry: Geometry }[], reviewer: string): void {
  if (!items.length) return;
  addAnnotations(
    items.map((i) => ({ imageId: i.imageId, annotatorId: CONSENSUS_ANNOTATOR, classId: i.classId, attributes: {}, geometry: i.geometry, provenance: { kind: 'consensus', acceptedBy: reviewer } })),
    items.length > 1 ? `Accept ${items.length} consensus shapes` : 'Accept consensus shape',
  );
}
