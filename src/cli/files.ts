import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { imageSize } from '../formats/imageSize';

/** Files under `dir` as `/`-separated relative paths; hidden entries are skipped, depth and count bounded. */
export async function listFiles(dir: string, opts: { depth?: number; max?: number } = {}): Promise<string[]> {
  const depth = opts.depth ?? 4;
  const max = opts.max ?? 500_000;
  const out: string[] = [];
  const walk = async (rel: string, level: number): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.name.startsWith('.') || out.length >= max) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && level < depth) await walk(path, level + 1);
      else if (e.isFile()) out.push(path);
    }
  };
  await walk('', 0);
  return out;
}

/** The first bytes of a file: enough to tell what it is, and for most images their size. */
export async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** A PNG's or JPEG's width and height from its header (reading on when a JPEG's EXIF block is long). */
export async function readImageSize(path: string): Promise<{ width: number; height: number } | { problem: string }> {
  try {
    let want = 64 * 1024;
    for (let tries = 0; tries < 8; tries++) {
      const head = await readHead(path, want);
      const r = imageSize(head);
      if (r.ok) return { width: r.width, height: r.height };
      if (!r.more || head.length < want || r.more > 64 * 1024 * 1024) return { problem: r.message };
      want = Math.max(r.more, want * 2);
    }
    return { problem: 'has a header too long to read' };
  } catch (e) {
    return { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}
