/** Slide files on disk as the readers' ByteSource: a file handle read a range at a time, never the whole file. */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ByteSource } from '../slides/types';

export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

export async function openFileSource(path: string): Promise<FileSource> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name: path,
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const { bytesRead } = await handle.read(buffer, done, n - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === n ? buffer : buffer.subarray(0, done);
    },
    close: () => handle.close(),
  };
}

/** The files a SLIDE argument stands for: the file itself, or a folder's DICOM files (named .dcm, or with the DICM signature). */
export async function slideFilePaths(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const paths: string[] = [];
  for (const name of names) {
    const full = join(path, name);
    if (/\.dcm$/i.test(name) || (await hasDicomSignature(full))) paths.push(full);
  }
  if (paths.length === 0) throw new Error('the folder holds no DICOM files (named .dcm, or starting with the DICM signature)');
  return paths;
}

async function hasDicomSignature(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(132);
    const { bytesRead } = await handle.read(head, 0, 132, 0);
    return bytesRead === 132 && new TextDecoder().decode(head.subarray(128)) === 'DICM';
  } finally {
    await handle.close();
  }
}
