/** Random ids that are unique without coordination between tabs or machines. */
export function newId(prefix = ''): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return prefix ? `${prefix}_${s}` : s;
}

export function uuid(): string {
  return globalThis.crypto.randomUUID();
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function statusId(imageId: string, annotatorId: string): string {
  return `${imageId}~${annotatorId}`;
}
