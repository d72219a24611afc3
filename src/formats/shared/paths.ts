/** `['annotations', 12, 'geometry']` → `annotations[12].geometry`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

export interface Problem {
  path: string;
  message: string;
}

export function problemLine(p: Problem): string {
  return `${p.path}: ${p.message}`;
}
