import { encodingProblem } from '../interchange/encoding';
import { nowIso, statusId } from '../../model/ids';
import type { Annotation, Geometry, ImageRecord, ImageStatus } from '../../model/types';
import { importedAnnotation } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { checkFlatRing } from '../interchange/checks';
import { ClassTable } from '../interchange/classes';
import { ContentIds, fileStem } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { parseLabelLine, type YoloLabel } from './lines';

export interface YoloReadOptions extends ReadOptions {
  /** Image sizes by name: YOLO coordinates are fractions of them. The one-file form carries its own. */
  images?: { name: string; width: number; height: number }[];
  /** Who drew the boxes, when the file does not say (default: the file's stem). */
  annotator?: string;
  /** Class names by index, when neither `# class` lines nor `classes.txt` name them (default: the index). */
  classes?: string[];
  /** The size of every image nothing else sizes (a folder of frames from one scope, say). */
  imageSize?: { width: number; height: number };
  /**
   * What to tell the user to do when an image has no size or the classes no names, in the words of
   * the caller (a command's options, say). Defaults name the options above.
   */
  advice?: { size?: string; classes?: string };
}

const DEFAULT_ADVICE = { size: 'give the image sizes', classes: 'give the class names' };

/** The labels of one image by one annotator, with where each came from for messages. */
export interface Block {
  image: string;
  /** Where the block's image is named, for messages about its size. */
  where: string;
  size?: [number, number];
  annotator?: string;
  labels: { label: YoloLabel; where: string }[];
  /** An empty label file: the image was looked at and holds nothing (a YOLO negative). */
  negative?: boolean;
  /** Why the image has no size, when it has none (the default says to give one). */
  noSize?: string;
}

const HEADER = /^#\s*(class\s+(\S+)|image|size|annotator)\s*:\s*(.*)$/i;

/**
 * Reads Granula's one-file YOLO form (`# image:` blocks with `# size:` and `# class N:` lines), or a
 * single plain YOLO label file when `opts.images` or `opts.imageSize` sizes its image. An empty
 * label file is a negative: its image is recorded as looked at, with nothing found.
 */
export function readYoloText(text: string, fileName: string, opts: YoloReadOptions = {}): ReadResult {
  return guarded('yolo', () => {
    const report = new Report();
    const badEncoding = encodingProblem(text);
    if (badEncoding) {
      report.problem('(file)', badEncoding);
      return report.fail('yolo');
    }
    const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n?|\n/);
    const classNames = readClassHeaders(lines, report);
    const blocks: Block[] = [];
    const plain = !lines.some((l) => /^#\s*image\s*:/i.test(l.trim()));
    if (plain) blocks.push({ image: plainImageName(fileName, opts), where: '(file)', labels: [] });
    lines.forEach((raw, i) => {
      const line = raw.trim();
      const where = `line ${i + 1}`;
      if (!line || report.full) return;
      const header = HEADER.exec(line);
      const block = blocks[blocks.length - 1];
      if (header) {
        const key = header[1].toLowerCase();
        const value = header[3].trim();
        if (key === 'image') {
          if (!value) return report.problem(where, 'names no image');
          blocks.push({ image: value.slice(0, 1000), where, labels: [] });
        } else if (key === 'size' || key === 'annotator') {
          if (!block || plain) return report.problem(where, `"# ${key}:" must follow an "# image:" line`);
          if (key === 'size') {
            const m = /^(\d+)\s*[x× ]\s*(\d+)$/.exec(value);
            if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || !Number.isSafeInteger(Number(m[1])) || !Number.isSafeInteger(Number(m[2]))) return report.problem(where, 'size must be "WIDTH HEIGHT" in whole pixels above zero');
            block.size = [Number(m[1]), Number(m[2])];
          } else if (!value || value.length > 200) return report.problem(where, 'an annotator needs a name of 1–200 characters');
          else block.annotator = value;
        }
        return;
      }
      if (line.startsWith('#')) return;
      if (!block) return report.problem(where, 'a label line before any "# image:" line');
      const label = parseLabelLine(line, where, classNames.declared ? classNames.names.length : undefined, report);
      if (label) block.labels.push({ label, where });
    });
    if (report.failed) return report.fail('yolo');
    if (plain) blocks[0].negative = blocks[0].labels.length === 0;
    else for (const b of blocks) b.noSize = `add "# size: WIDTH HEIGHT" after its "# image:" line, or ${(opts.advice?.size ?? DEFAULT_ADVICE.size)}`;
    return buildYolo(blocks, classNames.names, fileStem(fileName), opts, report);
  });
}

/** The directory form: `classes.txt` (or `obj.names`) and `<image stem>.txt` files, in `<annotator>/` folders when there are several. */
export function readYoloFiles(files: { name: string; text: string }[], opts: YoloReadOptions = {}): ReadResult {
  return guarded('yolo', () => {
    const report = new Report();
    const classFile = files.find((f) => /^(classes\.txt|obj\.names)$/i.test(f.name));
    const names = classFile ? classFile.text.split(/\r\n?|\n/).map((l) => l.trim()).filter(Boolean) : undefined;
    const blocks: Block[] = [];
    for (const f of files) {
      if (f === classFile || !f.name.toLowerCase().endsWith('.txt')) continue;
      const parts = f.name.split(/[\\/]/);
      const block: Block = { image: imageNameFor(fileStem(f.name), opts), where: f.name, labels: [], ...(parts.length > 1 ? { annotator: parts[parts.length - 2] } : {}) };
      block.negative = !f.text.split(/\r\n?|\n/).some((l) => l.trim() && !l.trim().startsWith('#'));
      f.text.split(/\r\n?|\n/).forEach((raw, i) => {
        const line = raw.trim();
        if (!line || line.startsWith('#') || report.full) return;
        const where = `${f.name} line ${i + 1}`;
        const label = parseLabelLine(line, where, names?.length, report);
        if (label) block.labels.push({ label, where });
      });
      blocks.push(block);
    }
    if (report.failed) return report.fail('yolo');
    return buildYolo(blocks, names ?? [], 'yolo', opts, report);
  });
}

function readClassHeaders(lines: string[], report: Report): { names: string[]; declared: boolean } {
  const names: string[] = [];
  let declared = false;
  lines.forEach((raw, i) => {
    const m = HEADER.exec(raw.trim());
    if (!m || m[2] === undefined) return;
    declared = true;
    const index = Number(m[2]);
    const name = m[3].trim();
    if (!/^\d+$/.test(m[2]) || index > 10_000) return report.problem(`line ${i + 1}`, 'a class number must be a whole number from 0');
    if (!name || name.length > 500) return report.problem(`line ${i + 1}`, 'a class needs a name of 1–500 characters');
    if (names[index] !== undefined) return report.problem(`line ${i + 1}`, `class ${index} is named twice`);
    names[index] = name;
  });
  const gap = names.findIndex((n) => n === undefined);
  if (declared && (gap >= 0 || names.length === 0)) report.problem('(file)', `class ${gap >= 0 ? gap : 0} has no "# class ${gap >= 0 ? gap : 0}:" line`);
  return { names, declared };
}

/**
 * The stems an image file may have for a label file's stem: itself, and without the eight hex
 * digits and dash a labelling tool puts before uploaded files' names (`3f2a9c1e-frame-001`), so
 * the original image files match.
 */
export function imageStems(labelStem: string): string[] {
  const m = /^[0-9a-f]{8}-(.+)$/.exec(labelStem);
  return m ? [labelStem, m[1]] : [labelStem];
}

function imageNameFor(stem: string, opts: YoloReadOptions): string {
  for (const s of imageStems(stem)) {
    const found = opts.images?.find((im) => fileStem(im.name) === s || im.name === s);
    if (found) return found.name;
  }
  return stem;
}

function plainImageName(fileName: string, opts: YoloReadOptions): string {
  if (opts.images?.length === 1) return opts.images[0].name;
  return imageNameFor(fileStem(fileName), opts);
}

/**
 * The project from blocks of labels: images by name (each needs a size), classes in index order,
 * one annotator per block. `title` names the project and, unless the blocks or options name one, the annotator.
 */
export function buildYolo(blocks: Block[], declared: string[], title: string, opts: YoloReadOptions, report: Report): ReadResult {
  const now = opts.now ?? nowIso();
  const stem = (title.trim() || 'annotator').slice(0, 200);
  const sizes = new Map((opts.images ?? []).map((im) => [im.name, [im.width, im.height] as [number, number]]));
  const fallback = opts.imageSize ? ([opts.imageSize.width, opts.imageSize.height] as [number, number]) : undefined;
  const images = new Map<string, { record: Unowned<ImageRecord>; where: string }>();
  for (const b of blocks) {
    const size = b.size ?? sizes.get(b.image) ?? fallback;
    if (!size) {
      report.problem(b.where, `no size for image "${b.image}": YOLO coordinates are fractions of it (${b.noSize ?? opts.advice?.size ?? DEFAULT_ADVICE.size})`);
      continue;
    }
    const seen = images.get(b.image);
    if (seen && (seen.record.width !== size[0] || seen.record.height !== size[1])) report.problem(b.where, `image "${b.image}" is ${size[0]} × ${size[1]} here but ${seen.record.width} × ${seen.record.height} at ${seen.where}`);
    if (!seen) images.set(b.image, { record: importedImage({ name: b.image, width: size[0], height: size[1], order: images.size, now, modality: opts.modality }), where: b.where });
  }
  if (report.failed) return report.fail('yolo');

  // Declared classes in index order, then any other index a line uses (a file without class names).
  const indices = new Set(declared.map((_, i) => i));
  for (const b of blocks) for (const l of b.labels) indices.add(l.label.classIndex);
  const unnamed = [...indices].sort((a, b) => a - b).filter((i) => declared[i] === undefined && opts.classes?.[i] === undefined);
  if (unnamed.length) report.warn('(file)', `no name for class${unnamed.length > 1 ? 'es' : ''} ${unnamed.slice(0, 10).join(', ')}${unnamed.length > 10 ? '…' : ''}, so named by number (${opts.advice?.classes ?? DEFAULT_ADVICE.classes})`);
  const classes = new ClassTable([]);
  const classIds = new Map([...indices].sort((a, b) => a - b).map((i) => [i, classes.idFor(declared[i] ?? opts.classes?.[i] ?? String(i))]));
  const polygons = blocks.some((b) => b.labels.some((l) => 'polygon' in l.label));
  const schema = importedSchema({ granularity: polygons ? 'polygon' : 'box', classes: classes.added, title: stem, now });
  const annotators = new Map<string, { id: string; displayName: string }>();
  const annotations: Unowned<Annotation>[] = [];
  const statuses = new Map<string, Unowned<ImageStatus>>();
  const ids = new ContentIds('ann');
  for (const b of blocks) {
    const image = images.get(b.image)!.record;
    const annotatorId = b.annotator ?? opts.annotator ?? stem;
    if (!annotators.has(annotatorId)) annotators.set(annotatorId, { id: annotatorId, displayName: annotatorId });
    if (b.negative) statuses.set(statusId(image.id, annotatorId), { id: statusId(image.id, annotatorId), imageId: image.id, annotatorId, state: 'done', noFinding: true, updatedAt: now });
    for (const { label, where } of b.labels) {
      const geometry = toPixels(label, image.width, image.height, where, report);
      if (!geometry) continue;
      const classId = classIds.get(label.classIndex)!;
      // A label line has no id: it is a hash of what the line says (its class by name), in its image, by its annotator.
      const id = ids.next(`${annotatorId}\u0000${b.image}\u0000${classId}\u0000${JSON.stringify('box' in label ? label.box : label.polygon)}`);
      annotations.push(importedAnnotation({ id, imageId: image.id, classId, geometry, annotatorId, schema, attributes: {}, ext: undefined, now }));
    }
  }
  const records = [...images.values()].map((i) => i.record);
  return finish('yolo', report, () => assemble({ name: stem, now, schemas: [schema], images: records, annotators: [...annotators.values()], annotations, statuses: [...statuses.values()] }), now);
}

/**
 * Pixels rounded to a millionth: far below what six decimals of a fraction resolve, and what keeps
 * 0.7 × 640 − 16 at 432 rather than 431.99999999999994 in every file written from it.
 */
const px = (v: number) => Math.round(v * 1e6) / 1e6;

function toPixels(label: YoloLabel, W: number, H: number, where: string, report: Report): Geometry | undefined {
  if ('box' in label) {
    const [cx, cy, w, h] = label.box;
    return { type: 'box', x: px((cx - w / 2) * W), y: px((cy - h / 2) * H), w: px(w * W), h: px(h * H) };
  }
  const points = checkFlatRing(label.polygon.map((v, i) => px(v * (i % 2 === 0 ? W : H))), where, report);
  return points && { type: 'polygon', points };
}
