import { agreedAttributes, type MajorityLabel } from '../agreement';
import { nowIso } from '../model/ids';
import { CONSENSUS_ANNOTATOR, type Annotation, type AttributeValue, type Geometry, type Provenance } from '../model/types';
import type { DocState } from './docState';
import { addAnnotations, updateAnnotations } from './actions';
import { annotationsOnImage } from './docState';
import { useDocStore } from './docStore';

/** Consensus is saved as its own annotator and exported like any other. */
export { CONSENSUS_ANNOTATOR };

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
    const onImage = annotationsOnImage(doc, m.item);
    const existing = onImage.find((a) => a.annotatorId === CONSENSUS_ANNOTATOR && a.geometry === null);
    const labels = onImage.filter((a) => a.annotatorId !== CONSENSUS_ANNOTATOR && a.geometry === null);
    const { fields, provenance } = decided(labels, labels.filter((a) => a.classId === m.label), reviewer);
    if (existing) {
      if (existing.classId !== m.label || !sameList(existing.provenance?.from, provenance.from)) updates.push({ id: existing.id, patch: { classId: m.label, ...fields, provenance } });
    } else {
      creates.push({ imageId: m.item, annotatorId: CONSENSUS_ANNOTATOR, classId: m.label, geometry: null, ...fields, provenance });
    }
  }
  if (creates.length) addAnnotations(creates, 'Make consensus labels', { action: 'adjudicate', detail: `consensus labels on ${creates.length} images by ${reviewer}` });
  if (updates.length) updateAnnotations(updates, 'Update consensus labels', { action: 'adjudicate', detail: `consensus labels changed on ${updates.length} images by ${reviewer}` });
  return { made: creates.length + updates.length, ties };
}

export function setConsensusLabel(imageId: string, classId: string, reviewer: string): void {
  makeLabelConsensus([{ item: imageId, label: classId, votes: 0, ratings: 0, tie: false, tied: [] }], reviewer);
}

export function acceptConsensusShapes(items: { imageId: string; classId: string; geometry: Geometry; members?: string[] }[], reviewer: string): void {
  const doc = useDocStore.getState().doc;
  if (!items.length || !doc) return;
  addAnnotations(
    items.map((i) => {
      const members = membersOf(doc, i.members ?? []);
      const { fields, provenance } = decided(members, members, reviewer);
      return { imageId: i.imageId, annotatorId: CONSENSUS_ANNOTATOR, classId: i.classId, geometry: i.geometry, ...fields, provenance };
    }),
    items.length > 1 ? `Accept ${items.length} consensus shapes` : 'Accept consensus shape',
    { action: 'adjudicate', detail: `${items.length} consensus shape${items.length === 1 ? '' : 's'} by ${reviewer}` },
  );
}

function membersOf(doc: DocState, ids: readonly string[]): Annotation[] {
  return ids.flatMap((id) => doc.annotations.get(id) ?? []);
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a ?? []).join('\u0000') === (b ?? []).join('\u0000');
}

/**
 * What a consensus record keeps: the attributes (and grade) every annotator behind it gave alike,
 * who decided and when, from whose labels, and which attributes they did not agree on.
 */
function decided(rated: readonly Annotation[], agreeing: readonly Annotation[], reviewer: string): { fields: Pick<Annotation, 'attributes' | 'grade'>; provenance: Provenance } {
  const { attributes, disputed } = agreedAttributes(agreeing);
  const grades = new Set(agreeing.map((a) => a.grade));
  const fields: Pick<Annotation, 'attributes' | 'grade'> = { attributes };
  if (grades.size === 1 && agreeing[0]?.grade !== undefined) fields.grade = agreeing[0].grade;
  else if (grades.size > 1) disputed.push('grade');
  const provenance: Provenance = {
    kind: 'consensus',
    acceptedBy: reviewer,
    from: [...new Set(rated.map((a) => a.annotatorId))].sort(),
    fromLabels: rated.map((a) => a.id),
    decidedAt: nowIso(),
  };
  if (disputed.length) provenance.disputed = disputed;
  return { fields, provenance };
}

/**
 * The reviewer decides an attribute the annotators did not agree on: the value is set and the
 * attribute is no longer disputed.
 */
export function decideDisputed(annotationId: string, attributeId: string, value: AttributeValue | undefined, reviewer: string): void {
  const doc = useDocStore.getState().doc;
  const a = doc?.annotations.get(annotationId);
  if (!a || !a.provenance) return;
  const attributes = { ...a.attributes };
  if (value === undefined) delete attributes[attributeId];
  else attributes[attributeId] = value;
  const disputed = (a.provenance.disputed ?? []).filter((d) => d !== attributeId);
  const provenance: Provenance = { ...a.provenance, acceptedBy: reviewer, decidedAt: nowIso() };
  if (disputed.length) provenance.disputed = disputed;
  else delete provenance.disputed;
  updateAnnotations([{ id: annotationId, patch: { attributes, provenance } }], 'Decide a disputed attribute', { action: 'adjudicate', detail: `${attributeId} decided by ${reviewer}` });
}
