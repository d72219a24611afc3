import type { Annotation, LabelSchema } from './types';

export interface SchemaChangeImpact {
  /** Class ids removed while annotations still use them. */
  orphanedClasses: { classId: string; annotations: number }[];
  /** Attribute ids removed from a class while annotations still carry a value. */
  orphanedAttributes: { classId: string; attributeId: string; annotations: number }[];
  /** Enum options removed while annotations still use them. */
  orphanedOptions: { classId: string; attributeId: string; optionId: string; annotations: number }[];
  granularityChanged: boolean;
  /** Annotations that would lose meaning in the new version. */
  affectedAnnotations: number;
  /** The schema versions those annotations were made under (and keep), in order. */
  madeUnder: number[];
}

/** What a proposed schema edit would do to existing annotations; nothing is changed here. */
export function schemaChangeImpact(before: LabelSchema, after: LabelSchema, annotations: readonly Annotation[]): SchemaChangeImpact {
  const beforeClasses = new Map(before.classes.map((c) => [c.id, c]));
  const afterClasses = new Map(after.classes.map((c) => [c.id, c]));
  const orphanedClasses = new Map<string, number>();
  const orphanedAttributes = new Map<string, number>();
  const orphanedOptions = new Map<string, number>();
  const affected = new Set<string>();
  for (const a of annotations) {
    // Only what this edit removes counts: annotations orphaned by an earlier version stay as they were.
    const was = beforeClasses.get(a.classId);
    if (a.schemaId !== before.id || !was) continue;
    const c = afterClasses.get(a.classId);
    if (!c) {
      orphanedClasses.set(a.classId, (orphanedClasses.get(a.classId) ?? 0) + 1);
      affected.add(a.id);
      continue;
    }
    for (const [attrId, value] of Object.entries(a.attributes)) {
      const def = c.attributes.find((d) => d.id === attrId);
      const wasDef = was.attributes.find((d) => d.id === attrId);
      if (!wasDef) continue;
      if (!def) {
        const k = `${a.classId}\u0000${attrId}`;
        orphanedAttributes.set(k, (orphanedAttributes.get(k) ?? 0) + 1);
        affected.add(a.id);
      } else if (def.type === 'enum' && (wasDef.options ?? []).some((o) => o.id === value) && !(def.options ?? []).some((o) => o.id === value)) {
        const k = `${a.classId}\u0000${attrId}\u0000${String(value)}`;
        orphanedOptions.set(k, (orphanedOptions.get(k) ?? 0) + 1);
        affected.add(a.id);
      }
    }
  }
  const granularityChanged = before.granularity !== after.granularity && annotations.some((a) => a.schemaId === before.id);
  if (granularityChanged) for (const a of annotations) if (a.schemaId === before.id) affected.add(a.id);
  return {
    orphanedClasses: [...orphanedClasses].map(([classId, n]) => ({ classId, annotations: n })),
    orphanedAttributes: [...orphanedAttributes].map(([k, n]) => {
      const [classId, attributeId] = k.split('\u0000');
      return { classId, attributeId, annotations: n };
    }),
    orphanedOptions: [...orphanedOptions].map(([k, n]) => {
      const [classId, attributeId, optionId] = k.split('\u0000');
      return { classId, attributeId, optionId, annotations: n };
    }),
    granularityChanged,
    affectedAnnotations: affected.size,
    madeUnder: [...new Set(annotations.filter((a) => affected.has(a.id)).map((a) => a.schemaVersion))].sort((x, y) => x - y),
  };
}

export function impactIsHarmless(impact: SchemaChangeImpact): boolean {
  return impact.affectedAnnotations === 0;
}

/**
 * The schema record(s) an edit produces: editing in place while nothing was annotated under this
 * version, otherwise a new version so existing annotations keep the version they were made under.
 */
export function nextSchemaVersion(current: LabelSchema, edited: LabelSchema, annotations: readonly Annotation[], now: string): LabelSchema {
  const used = annotations.some((a) => a.schemaId === current.id && a.schemaVersion === current.version);
  if (!used) return { ...edited, id: current.id, version: current.version, createdAt: current.createdAt };
  return { ...edited, id: current.id, version: current.version + 1, createdAt: now };
}

export function schemaProblems(s: LabelSchema): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const ids = new Set<string>();
  const keys = new Map<string, number>();
  s.classes.forEach((c, i) => {
    if (!c.id.trim()) out.push({ path: `classes[${i}].id`, message: 'class id must not be empty' });
    if (ids.has(c.id)) out.push({ path: `classes[${i}].id`, message: `duplicate class id "${c.id}"` });
    ids.add(c.id);
    if (!c.name.en.trim() && !c.name.ja.trim()) out.push({ path: `classes[${i}].name`, message: 'class needs a name in Japanese or English' });
    if (!/^#[0-9a-fA-F]{6}$/.test(c.color)) out.push({ path: `classes[${i}].color`, message: 'colour must be #rrggbb' });
    if (c.hotkey) {
      const prev = keys.get(c.hotkey);
      if (prev !== undefined) out.push({ path: `classes[${i}].hotkey`, message: `hotkey "${c.hotkey}" is already used by classes[${prev}]` });
      else keys.set(c.hotkey, i);
    }
    const attrIds = new Set<string>();
    c.attributes.forEach((a, j) => {
      if (attrIds.has(a.id)) out.push({ path: `classes[${i}].attributes[${j}].id`, message: `duplicate attribute id "${a.id}"` });
      attrIds.add(a.id);
      if (a.type === 'enum' && !(a.options && a.options.length)) out.push({ path: `classes[${i}].attributes[${j}].options`, message: 'an enum attribute needs at least one option' });
    });
  });
  s.grade?.classes?.forEach((id, j) => {
    if (!ids.has(id)) out.push({ path: `grade.classes[${j}]`, message: `unknown class "${id}"` });
  });
  return out;
}

export function classLabel(s: LabelSchema, classId: string, lang: 'ja' | 'en'): string {
  const c = s.classes.find((k) => k.id === classId);
  if (!c) return classId;
  return c.name[lang] || c.name.en || c.name.ja || c.id;
}
