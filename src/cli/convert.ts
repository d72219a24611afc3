import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { readAnyFormat } from '../formats/detect';
import { FORMAT_NAMES, type FormatName } from '../formats/interchange/result';
import { problemLine } from '../formats/shared/paths';
import { writeAny } from '../formats/writeAny';
import type { CliIo } from './io';

const USAGE = 'usage: granula convert IN --to shared|coco|geojson|csv|yolo -o OUT';

interface ConvertArgs {
  input: string;
  to: FormatName;
  output: string;
}

function parseArgs(args: string[]): ConvertArgs | string {
  const positional: string[] = [];
  let to: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--to') to = value();
    else if (flag === '-o' || flag === '--out' || flag === '--output') output = value();
    else if (a.startsWith('-') && a !== '-') return `unknown option "${a}"`;
    else positional.push(a);
  }
  if (positional.length !== 1) return positional.length ? `expected one input file, got ${positional.length}` : 'missing input file';
  if (!to) return 'missing --to FORMAT';
  if (!(FORMAT_NAMES as readonly string[]).includes(to)) return `unknown format "${to}" (use ${FORMAT_NAMES.join(', ')})`;
  if (!output) return 'missing -o OUT';
  return { input: positional[0], to: to as FormatName, output };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * OUT is a folder when it is one already, ends with a separator, or — for formats that write one
 * file per image (GeoJSON, YOLO) — has no extension. Otherwise it is the one file written.
 */
async function outputIsFolder(output: string, to: FormatName): Promise<boolean> {
  if (output.endsWith('/') || output.endsWith(sep) || (await isDirectory(output))) return true;
  return (to === 'geojson' || to === 'yolo') && extname(output) === '';
}

/** `granula convert IN --to FORMAT -o OUT`: exit 0 and a summary, 1 on bad input (one `path: message` line each), 2 on usage errors. */
export async function runConvert(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`granula convert: ${parsed}\n${USAGE}`);
    return 2;
  }
  const { input, to, output } = parsed;
  if (resolve(input) === resolve(output)) {
    io.err(`granula convert: OUT is the input file; write to another path so ${input} is kept`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (e) {
    io.out(`${input}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 1;
  }
  const result = readAnyFormat(text, basename(input));
  if (!result.ok) {
    for (const p of result.problems) io.out(problemLine(p));
    return 1;
  }
  const folder = await outputIsFolder(output, to);
  const written = writeAny(result.data, to, { yoloLayout: folder ? 'files' : 'single' });
  if (!folder && written.files.length !== 1) {
    io.err(`granula convert: ${to} writes one file per image (${written.files.length} files): give a folder as OUT (a path without extension)`);
    return 2;
  }
  try {
    if (folder) {
      const root = resolve(output);
      for (const f of written.files) {
        const target = resolve(root, f.name);
        const rel = relative(root, target);
        // Names come from the data (image names): never let one climb out of the folder.
        if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`refusing to write "${f.name}" outside ${output}`);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, f.text, 'utf8');
      }
    } else {
      await writeFile(output, written.files[0].text, 'utf8');
    }
  } catch (e) {
    io.out(`${output}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 1;
  }
  for (const w of result.warnings) io.err(`warning: ${problemLine(w)}`);
  for (const w of written.warnings) io.err(`warning: ${w}`);
  const d = result.data;
  const files = folder ? `, ${written.files.length} files` : '';
  io.out(`${input} (${result.format}) → ${output} (${to}${files}): ${d.images.length} images, ${d.annotators.length} annotators, ${d.annotations.length} annotations`);
  return 0;
}
