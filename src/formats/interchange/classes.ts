import { currentSchema, type ProjectData } from '../../model/projectData';
import type { LabelClass, ObjectKind } from '../../model/types';
import { paletteColor } from './colors';
import { derivedId } from './ids';

/** Every class any schema version has, the current version's first: old annotations keep their class. */
export function allClasses(data: Pick<ProjectData, 'schemas' | 'project'>): LabelClass[] {
  const current = currentSchema(data);
  const seen = new Map(current.classes.map((c) => [c.id, c]));
  for (const s of [...data.schemas].sort((a, b) => b.version - a.version)) for (const c of s.classes) if (!seen.has(c.id)) seen.set(c.id, c);
  return [...seen.values()];
}

/** The name other tools show: English, else Japanese, else the id. */
export function className(c: LabelClass): string {
  return c.name.en || c.name.ja || c.id;
}

/** The class a foreign file means by `name`: matched on id, English or Japanese name. */
export function classByName(classes: Iterable<LabelClass>, name: string): LabelClass | undefined {
  for (const c of classes) if (c.id === name || c.name.en === name || c.name.ja === name) return c;
  return undefined;
}

/**
 * The classes of an import: those already known (an embedded or given schema) when a name matches,
 * otherwise new ones in the order they first appear. A class's id is its name when that fits an id.
 */
export class ClassTable {
  private readonly known: LabelClass[];
  private readonly byName = new Map<string, string>();
  readonly added: LabelClass[] = [];

  constructor(known: readonly LabelClass[]) {
    this.known = [...known];
  }

  has(id: string): boolean {
    return this.known.some((c) => c.id === id) || this.added.some((c) => c.id === id);
  }

  idFor(name: string, extra: { color?: string; objectKind?: ObjectKind } = {}): string {
    const seen = this.byName.get(name);
    if (seen !== undefined) return seen;
    const match = classByName([...this.known, ...this.added], name);
    let id = match?.id;
    if (id === undefined) {
      id = name.length <= 200 ? name : derivedId('cls', name);
      const color = extra.color ?? paletteColor(this.known.length + this.added.length);
      this.added.push({ id, name: { en: name, ja: name }, color, attributes: [], ...(extra.objectKind ? { objectKind: extra.objectKind } : {}) });
    }
    this.byName.set(name, id);
    return id;
  }
}
