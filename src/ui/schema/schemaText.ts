import type { AttributeOption, GradeLevel } from '../../model/types';

/** `id = English / 日本語` per line: compact enough to type, readable to review. */
export function optionsToText(options: readonly AttributeOption[]): string {
  return options.map((o) => `${o.id} = ${o.name.en} / ${o.name.ja}`).join('\n');
}

export function textToOptions(text: string): AttributeOption[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [idPart, namePart = ''] = line.split(/\s*=\s*/, 2);
      const [en = '', ja = ''] = namePart.split(/\s*\/\s*/, 2);
      const id = idPart.trim();
      return { id, name: { en: en.trim() || id, ja: ja.trim() || en.trim() || id } };
    });
}

export function levelsToText(levels: readonly GradeLevel[]): string {
  return levels.map((l) => `${l.value} = ${l.name.en} / ${l.name.ja}`).join('\n');
}

export function textToLevels(text: string): GradeLevel[] {
  return textToOptions(text)
    .map((o) => ({ value: Number(o.id), name: o.name }))
    .filter((l) => Number.isFinite(l.value));
}

const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function nextColor(used: readonly string[]): string {
  return PALETTE.find((c) => !used.includes(c)) ?? PALETTE[used.length % PALETTE.length];
}

export function nextHotkey(used: readonly (string | undefined)[]): string | undefined {
  for (let k = 1; k <= 9; k++) if (!used.includes(String(k))) return String(k);
  return undefined;
}

export function uniqueId(base: string, taken: readonly string[]): string {
  const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'class';
  if (!taken.includes(slug)) return slug;
  for (let i = 2; ; i++) if (!taken.includes(`${slug}-${i}`)) return `${slug}-${i}`;
}

/** "Serrated lesion" → "serrated-lesion": what a class id made from a name looks like. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function randomSuffix(): string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => (b % 36).toString(36)).join('');
}

/**
 * A class id made from its English name, readable in exports. Only when another class has that id
 * already does it get a random suffix (not "-2": another tab resolving the same clash would pick the
 * same "-2").
 */
export function classIdFor(name: string, taken: readonly string[]): string {
  const slug = slugOf(name) || 'class';
  if (!taken.includes(slug)) return slug;
  for (;;) {
    const id = `${slug}-${randomSuffix()}`;
    if (!taken.includes(id)) return id;
  }
}

/** Whether `id` is the one `classIdFor` makes from `name` (with or without a suffix): it may follow a rename. */
export function idMadeFrom(id: string, name: string): boolean {
  const slug = slugOf(name) || 'class';
  return id === slug || new RegExp(`^${slug}-[a-z0-9]{4}$`).test(id);
}
