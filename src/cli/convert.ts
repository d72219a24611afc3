import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readAnyFormat, type AnyReadOptions, type ReadResult } from '../formats/detect';
import { FORMAT_NAMES, Report, type FormatName } from '../formats/interchange/result';
import { binaryFileProblem, binaryKindOfBytes } from '../formats/interchange/signature';
import { problemLine } from '../formats/shared/paths';
import { parseJsonText } from '../formats/shared/validate';
import { cocoFileChunks } from '../formats/coco/write';
import { geoJsonFileChunks } from '../formats/geojson/stream';
import { fileStem, safeFileName } from '../formats/interchange/ids';
import { sharedDocumentChunks } from '../formats/shared/stream';
import type { EmbeddedFile } from '../formats/shared/convert';
import { opensJson, readJsonStream } from '../formats/streamRead';
import { writeAny, type WrittenFiles } from '../formats/writeAny';
import { nowIso } from '../model/ids';
import type { ProjectData } from '../model/projectData';
import { IMAGE_EXTENSIONS, parseClassNames, planYoloDataset, readYoloDataset } from '../formats/yolo/dataset';
import { listFiles, readHead, readImageSize } from './files';
import { contentsLine, type CliIo } from './io';

const USAGE = `usage: granula convert IN --to shared|coco|geojson|csv|yolo -o OUT [--images DIR] [--image-size W,H] [--classes FILE] [--instances FILE]
  IN is a file in any supported format, or a YOLO dataset folder (data.yaml or classes.txt, labels/, images/).
  --images DIR      image files: their sizes (PNG, JPEG) place YOLO boxes, size CSV images, and fill a YOLO dataset's images/
  --image-size W,H  the size of every image nothing else sizes
  --classes FILE    class names for YOLO labels: one per line (classes.txt) or a data.yaml
  --instances FILE  the COCO instances file a COCO results list IN is about: image names and sizes, category names`;

interface ConvertArgs {
  input: string;
  to: FormatName;
  output: string;
  images?: string;
  imageSize?: { width: number; height: number };
  classes?: string;
  instances?: string;
}

function parseArgs(args: string[]): ConvertArgs | string {
  const positional: string[] = [];
  let to: string | undefined;
  let output: string | undefined;
  let images: string | undefined;
  let size: string | undefined;
  let classes: string | undefined;
  let instances: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--to') to = value();
    else if (flag === '-o' || flag === '--out' || flag === '--output') output = value();
    else if (flag === '--images') images = value() ?? '';
    else if (flag === '--image-size') size = value() ?? '';
    else if (flag === '--classes') classes = value() ?? '';
    else if (flag === '--instances') instances = value() ?? '';
    else if (a.startsWith('-') && a !== '-') return `unknown option "${a}"`;
    else positional.push(a);
  }
  if (positional.length !== 1) return positional.length ? `expected one input file, got ${positional.length}` : 'missing input file';
  if (!to) return 'missing --to FORMAT';
  if (!(FORMAT_NAMES as readonly string[]).includes(to)) return `unknown format "${to}" (use ${FORMAT_NAMES.join(', ')})`;
  if (!output) return 'missing -o OUT';
  if (images === '') return 'missing DIR after --images';
  if (classes === '') return 'missing FILE after --classes';
  if (instances === '') return 'missing FILE after --instances';
  let imageSize: ConvertArgs['imageSize'];
  if (size !== undefined) {
    const m = /^\s*(\d+)\s*[,x×]\s*(\d+)\s*$/i.exec(size);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) > 1_000_000 || Number(m[2]) > 1_000_000) return `--image-size must be WIDTH,HEIGHT in whole pixels, e.g. --image-size 1280,1024 (not "${size}")`;
    imageSize = { width: Number(m[1]), height: Number(m[2]) };
  }
  return { input: positional[0], to: to as FormatName, output, images, imageSize, classes, instances };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * OUT is a folder when it is one already, ends with a separator, or — for formats that write
 * several files (GeoJSON: one per image; YOLO: a dataset) — has no extension. Otherwise it is the one file written.
 */
async function outputIsFolder(output: string, to: FormatName): Promise<boolean> {
  if (output.endsWith('/') || output.endsWith(sep) || (await isDirectory(output))) return true;
  return (to === 'geojson' || to === 'yolo') && extname(output) === '';
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** A file that names a YOLO dataset's classes stands for the dataset folder that holds it. */
const DATASET_FILES = /^(data\.ya?ml|classes\.txt|obj\.names)$/i;

/** Image files under a folder, with their sizes where a PNG or JPEG header gives them. */
async function imagesIn(dir: string): Promise<{ name: string; path: string; width?: number; height?: number }[]> {
  const paths = (await listFiles(dir, { depth: 3 })).filter((p) => IMAGE_EXTENSIONS.includes(extname(p).toLowerCase()));
  return Promise.all(
    paths.map(async (p) => {
      const size = await readImageSize(join(dir, p));
      return { name: basename(p), path: join(dir, p), ...('width' in size ? size : {}) };
    }),
  );
}

interface Input {
  result: ReadResult;
  /** Where an image's own file is, by the image's name in the result (YOLO dataset folders). */
  imagePaths: Map<string, string>;
  /** A shared document's embedded image files. */
  files?: EmbeddedFile[];
  /** The input is a list of COCO results. */
  cocoResults?: boolean;
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
  let inputIsFolder: boolean;
  try {
    inputIsFolder = (await stat(input)).isDirectory();
  } catch (e) {
    io.out(`${input}: cannot read: ${errno(e)}`);
    return 1;
  }

  const opts: AnyReadOptions = {};
  if (parsed.imageSize) opts.imageSize = parsed.imageSize;
  if (parsed.classes) {
    let text: string;
    try {
      text = await readFile(parsed.classes, 'utf8');
    } catch (e) {
      io.out(`${parsed.classes}: cannot read: ${errno(e)}`);
      return 1;
    }
    const report = new Report();
    const names = parseClassNames(text, parsed.classes, report);
    if (!names || report.failed) {
      for (const p of report.problems) io.out(problemLine(p));
      if (!report.failed) io.out(`${parsed.classes}: names no classes`);
      return 1;
    }
    opts.classes = names;
  }
  if (parsed.instances) {
    if (inputIsFolder) {
      io.err(`granula convert: --instances goes with a COCO results list, not a folder\n${USAGE}`);
      return 2;
    }
    let text: string;
    try {
      text = await readFile(parsed.instances, 'utf8');
    } catch (e) {
      io.out(`${parsed.instances}: cannot read: ${errno(e)}`);
      return 1;
    }
    const json = parseJsonText(text);
    if (!json.ok) {
      for (const p of json.problems) io.out(`${parsed.instances}: ${p.message}`);
      return 1;
    }
    // Its problems come back from the reader at paths starting "instances".
    opts.instances = json.value;
  }
  let given: Awaited<ReturnType<typeof imagesIn>> = [];
  if (parsed.images) {
    if (!(await isDirectory(parsed.images))) {
      io.out(`${parsed.images}: is not a folder of images`);
      return 1;
    }
    given = await imagesIn(parsed.images);
    opts.images = given.flatMap((im) => (im.width ? [{ name: im.name, width: im.width, height: im.height! }] : []));
  }
  const sizeAdvice = parsed.images
    ? `${parsed.images} has no PNG or JPEG image of that name; give one size for all with --image-size WIDTH,HEIGHT`
    : 'give the image files with --images DIR (PNG and JPEG sizes are read from their headers), or one size for all with --image-size WIDTH,HEIGHT';
  opts.advice = { size: sizeAdvice, classes: 'give them with --classes FILE, a classes.txt or data.yaml' };

  let read: Input;
  try {
    const folder = inputIsFolder ? input : DATASET_FILES.test(basename(input)) ? dirname(input) : undefined;
    read = folder !== undefined ? await readDataset(folder, opts, given) : await readOneFile(input, opts);
  } catch (e) {
    io.out(`${input}: cannot read: ${errno(e)}`);
    return 1;
  }
  const { result } = read;
  if (!result.ok) {
    for (const p of result.problems) io.out(problemLine(p));
    return 1;
  }
  if (parsed.instances && !read.cocoResults) {
    io.err(`granula convert: --instances goes with a COCO results list, and ${input} (${result.format}) is not one\n${USAGE}`);
    return 2;
  }

  const folder = await outputIsFolder(output, to);
  const written = outputFiles(result.data, to, folder);
  if (!folder && written.files.length !== 1) {
    io.err(`granula convert: ${to} writes one file per image (${written.files.length} files): give a folder as OUT (a path without extension)`);
    return 2;
  }
  const imageWarnings: string[] = [];
  let count = written.files.length;
  try {
    if (folder) {
      const root = resolve(output);
      const target = (name: string) => {
        const path = resolve(root, name);
        const rel = relative(root, path);
        // Names come from the data (image names): never let one climb out of the folder.
        if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`refusing to write "${name}" outside ${output}`);
        return path;
      };
      for (const f of written.files) {
        const path = target(f.name);
        await mkdir(dirname(path), { recursive: true });
        await writeOutFile(path, f);
      }
      if (written.images?.length) {
        const copied = await copyImages(result.data.images, written.images, read, given, input, inputIsFolder, target);
        count += copied.count;
        if (copied.missing.length) {
          const which = copied.missing.length === written.images.length ? 'the image files are not at hand' : `${copied.missing.length} of ${written.images.length} image files are not at hand (${copied.missing.slice(0, 3).map((n) => `"${n}"`).join(', ')}${copied.missing.length > 3 ? ', …' : ''})`;
          imageWarnings.push(`${which}: convert again with --images DIR, or copy them into ${join(output, 'images')}${sep}, each named as its label file (labels/frame-001.txt, images/frame-001.jpg)`);
        }
      }
    } else {
      await writeOutFile(output, written.files[0]);
    }
  } catch (e) {
    io.out(`${output}: cannot write: ${errno(e)}`);
    return 1;
  }
  // A streamed writer's warnings are complete once its files are written.
  const warnings = [...written.warnings, ...imageWarnings];
  for (const w of result.warnings) io.err(`warning: ${problemLine(w)}`);
  for (const w of warnings) io.err(`warning: ${w}`);
  const d = result.data;
  const files = folder ? `, ${count} files` : '';
  io.out(`${input} (${result.format}) → ${output} (${to}${files}): ${contentsLine(d)}`);
  return 0;
}

/** A file to write: its text whole, or (the shared format, GeoJSON, COCO) its UTF-8 chunks, never held whole. */
interface OutFile {
  name: string;
  text?: string;
  chunks?: () => Iterable<Uint8Array>;
}

interface OutFiles {
  files: OutFile[];
  /** For streamed files, complete only once every file's chunks have been read. */
  warnings: string[];
  images?: WrittenFiles['images'];
}

/**
 * What `--to FORMAT` writes. The shared format, GeoJSON and COCO are written piece by piece (a slide with a
 * million outlines makes a document larger than one string can hold), with the same bytes as writeAny.
 */
function outputFiles(data: ProjectData, to: FormatName, folder: boolean): OutFiles {
  const exportedAt = nowIso();
  if (to === 'shared') return { files: [{ name: `${safeFileName(data.project.name)}.granula.json`, chunks: () => sharedDocumentChunks(data, { exportedAt }) }], warnings: [] };
  if (to === 'geojson') {
    const { files, warnings } = geoJsonFileChunks(data, { exportedAt });
    return { files: files.map((f) => ({ name: f.name, chunks: () => f.chunks() })), warnings };
  }
  if (to === 'coco') {
    const { chunks, warnings } = cocoFileChunks(data, { exportedAt });
    return { files: [{ name: `${safeFileName(data.project.name)}.coco.json`, chunks }], warnings };
  }
  return writeAny(data, to, { exportedAt, yoloLayout: folder ? 'dataset' : 'single' });
}

async function writeOutFile(path: string, file: OutFile): Promise<void> {
  if (file.chunks) await writeChunks(path, file.chunks());
  else await writeFile(path, file.text ?? '', 'utf8');
}

/** Writes chunks one after another to a file, waiting whenever the stream asks to (backpressure). */
export async function writeChunks(path: string, chunks: Iterable<Uint8Array>): Promise<void> {
  const out = createWriteStream(path);
  try {
    // An error while waiting for 'drain' rejects the wait; one after the last write rejects `finished`.
    for (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await finished(out);
  } catch (e) {
    out.destroy();
    // A disk that fills up halfway leaves no half-written file behind.
    await rm(path, { force: true });
    throw e;
  }
}

/**
 * One file in any format: an image or archive given by mistake is named for what it is. JSON is
 * read as a stream (a slide's million outlines make a file larger than one string can hold); the
 * text formats (CSV, YOLO, CVAT XML) are read whole.
 */
async function readOneFile(input: string, opts: AnyReadOptions): Promise<Input> {
  const first = await readHead(input, 64 * 1024);
  const binary = binaryFileProblem(binaryKindOfBytes(first));
  if (binary) return { result: { ok: false, problems: [{ path: '(file)', message: binary }] }, imagePaths: new Map() };
  if (opensJson(first)) {
    const size = (await stat(input)).size;
    const source = { name: basename(input), size, stream: () => Readable.toWeb(createReadStream(input, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array> };
    const read = await readJsonStream(source, opts);
    return { result: read.result, imagePaths: new Map(), files: read.files, cocoResults: read.cocoResults };
  }
  const text = new TextDecoder('utf-8').decode(await readFile(input));
  const local = { ...opts };
  // A label file inside a dataset: converting the whole folder gives it its image and class names.
  if (basename(dirname(resolve(input))) === 'labels' && opts.advice?.size) local.advice = { ...opts.advice, size: `${opts.advice.size}, or convert the dataset folder ${dirname(dirname(input))}` };
  return { result: readAnyFormat(text, basename(input), local), imagePaths: new Map() };
}

/** A YOLO dataset folder: labels, class names and the sizes of its images, read from their headers. */
async function readDataset(dir: string, opts: AnyReadOptions, given: { name: string; width?: number; height?: number }[]): Promise<Input> {
  const plan = planYoloDataset(await listFiles(dir));
  if ('problem' in plan) return { result: { ok: false, format: 'yolo', problems: [{ path: dir, message: plan.problem }] }, imagePaths: new Map() };
  const texts = new Map<string, string>();
  for (const path of [plan.yaml, plan.classList, ...plan.items.map((i) => i.label)]) {
    if (!path) continue;
    const text = await readFile(join(dir, path), 'utf8');
    texts.set(path, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  }
  const sizes = new Map<string, { width: number; height: number } | { problem: string }>();
  const images = plan.items.flatMap((i) => (i.image ? [i.image] : []));
  for (let k = 0; k < images.length; k += 32) {
    const batch = images.slice(k, k + 32);
    const read = await Promise.all(batch.map((p) => readImageSize(join(dir, p))));
    batch.forEach((p, j) => sizes.set(p, read[j]));
  }
  const extraImages = given.flatMap((im) => (im.width ? [{ name: im.name, width: im.width, height: im.height! }] : []));
  const result = readYoloDataset({ name: basename(resolve(dir)), plan, texts, sizes, extraImages }, opts);
  const imagePaths = new Map<string, string>();
  for (const p of images) {
    imagePaths.set(p, join(dir, p));
    if (!imagePaths.has(basename(p))) imagePaths.set(basename(p), join(dir, p));
  }
  return { result, imagePaths };
}

const MIME_EXTENSIONS: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/tiff': '.tif', 'image/webp': '.webp', 'image/bmp': '.bmp' };

/** Copies each image's own file into the dataset's images/, from wherever it is at hand. */
async function copyImages(
  records: { id: string; name: string; source: { kind: string; blobId?: string } }[],
  slots: { imageId: string; stem: string; ext: string }[],
  read: Input,
  given: { name: string; path: string }[],
  input: string,
  inputIsFolder: boolean,
  target: (name: string) => string,
): Promise<{ count: number; missing: string[] }> {
  const byId = new Map(records.map((r) => [r.id, r]));
  const givenByName = new Map(given.map((g) => [g.name, g.path]));
  const givenByStem = new Map(given.map((g) => [fileStem(g.name), g.path]));
  const embedded = read.result.ok && read.files ? new Map(read.files.map((f) => [f.blobId, f])) : undefined;
  const missing: string[] = [];
  let count = 0;
  for (const slot of slots) {
    const image = byId.get(slot.imageId)!;
    const beside = !inputIsFolder && !isAbsolute(image.name) && !image.name.includes('..') ? join(dirname(input), image.name) : undefined;
    let path = read.imagePaths.get(image.name) ?? givenByName.get(image.name) ?? givenByStem.get(fileStem(image.name));
    if (!path && beside && (await stat(beside).then((s) => s.isFile()).catch(() => false))) path = beside;
    const file = image.source.kind === 'file' && image.source.blobId ? embedded?.get(image.source.blobId) : undefined;
    if (path) {
      const dest = target(`images/${slot.stem}${slot.ext || extname(path)}`);
      await mkdir(dirname(dest), { recursive: true });
      await copyFile(path, dest);
    } else if (file) {
      const dest = target(`images/${slot.stem}${slot.ext || MIME_EXTENSIONS[file.mime] || ''}`);
      await mkdir(dirname(dest), { recursive: true });
      await writeFile(dest, Buffer.from(file.base64, 'base64'));
    } else {
      missing.push(image.name);
      continue;
    }
    count++;
  }
  return { count, missing };
}
