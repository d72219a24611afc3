/**
 * `granula deid IN... -o OUTDIR --key KEYFILE`: DICOM files or folders de-identified in bulk with
 * the project's key (the file Project settings exports), one line per file. Outputs are named by
 * their new SOP Instance UID: the input's file name may itself identify the patient.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readKeyFile } from '../model/pseudonym';
import { deidentify, UidMapper } from '../radiology/deid';
import { listFiles } from './files';
import type { CliIo } from './io';

const USAGE = 'usage: granula deid IN... -o OUTDIR --key KEYFILE';

function parseArgs(args: string[]): { inputs: string[]; out: string; key: string } | string {
  const inputs: string[] = [];
  let out: string | undefined;
  let key: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--out' || a === '--key') {
      const value = args[++i];
      if (!value) return `${a} needs a value`;
      if (a === '--key') key = value;
      else out = value;
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else inputs.push(a);
  }
  if (!inputs.length) return 'missing IN (DICOM files or folders)';
  if (!out) return 'missing -o OUTDIR';
  if (!key) return 'missing --key KEYFILE (the key file Project settings exports)';
  return { inputs, out, key };
}

/** Every file named, and every file under every folder named, in order. */
async function expand(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const isDir = await stat(input).then((s) => s.isDirectory(), () => false);
    if (isDir) files.push(...(await listFiles(input)).map((rel) => join(input, rel)));
    else files.push(input);
  }
  return files;
}

export async function runDeid(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`granula deid: ${parsed}\n${USAGE}`);
    return 2;
  }
  let keyText: string;
  try {
    keyText = await readFile(parsed.key, 'utf8');
  } catch (e) {
    io.err(`granula deid: ${parsed.key}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return 2;
  }
  const key = await readKeyFile(keyText);
  if (!key.ok) {
    io.err(`granula deid: ${parsed.key}: ${key.message}`);
    return 2;
  }
  await mkdir(parsed.out, { recursive: true });
  const uids = new UidMapper(key.key);
  let failed = 0;
  /** Output name → the input it came from: two copies of one instance must not overwrite each other unnoticed. */
  const written = new Map<string, string>();
  for (const path of await expand(parsed.inputs)) {
    let input: Uint8Array;
    try {
      input = new Uint8Array(await readFile(path));
    } catch (e) {
      failed++;
      io.err(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    try {
      const { bytes, sopInstanceUid, warnings } = await deidentify(input, path, key.key, uids);
      if (!sopInstanceUid) throw new Error(`${path}: has no SOP Instance UID (0008,0018) to name its output by`);
      const out = join(parsed.out, `${sopInstanceUid}.dcm`);
      const first = written.get(out);
      if (first) throw new Error(`${path}: has the same SOP Instance UID as ${first} (a copy of the same instance?): not written`);
      written.set(out, path);
      await writeFile(out, bytes);
      io.out(`${path} → ${out}`);
      for (const w of warnings) io.err(`${path}: warning: ${w}`);
    } catch (e) {
      failed++;
      const message = (e as Error).message;
      io.err(message.startsWith(path) ? message : `${path}: ${message}`);
    }
  }
  return failed ? 1 : 0;
}
