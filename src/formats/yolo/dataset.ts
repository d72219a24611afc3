import { fileStem } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { parseLabelLine } from './lines';
import { buildYolo, imageStems, type Block, type YoloReadOptions } from './read';

/**
 * A YOLO dataset folder as the tools that make them lay it out:
 * - `classes.txt`, `images/`, `labels/` (and `notes.json`): a labelling tool's YOLO export;
 * - `data.yaml` and `train/`, `valid/`, `test/`, each with `images/` and `labels/`: a dataset
 *   platform's export;
 * - `data.yaml`, `images/<split>/`, `labels/<split>/`: a trainer's own layout;
 * - `classes.txt` (or `obj.names`) beside the `.txt` label files and their images: the flat form.
 * A label file belongs to the image with the same stem in the matching `images` folder, as
 * trainers pair them (the last `labels` folder in its path read as `images`).
 */

/** Image file types YOLO trainers take. */
export const IMAGE_EXTENSIONS = ['.bmp', '.dng', '.jpeg', '.jpg', '.mpo', '.png', '.tif', '.tiff', '.webp', '.pfm', '.heic'];

export interface YoloDatasetPlan {
  /** `data.yaml` (or `.yml`) at the top, when there is one. */
  yaml?: string;
  /** `classes.txt` or `obj.names`, at the top or in `labels/`. */
  classList?: string;
  /** One per image: its label file, its image file, or both (paths relative to the folder). */
  items: { label?: string; image?: string; split: string }[];
  /** Split folders seen (`train`, `valid`…), in order. */
  splits: string[];
}

const extOf = (path: string) => {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
};
const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const baseOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** `train/labels` → `train/images`; `labels/val` → `images/val`: the last `labels` folder swapped. */
function swapFolder(dir: string, from: string, to: string): string | undefined {
  const parts = dir.split('/');
  const i = parts.lastIndexOf(from);
  if (i < 0) return undefined;
  parts[i] = to;
  return parts.join('/');
}

/** The split a file is in: the folder beside `labels`/`images` (`train/labels/x.txt`, `labels/train/x.txt`). */
function splitOf(dir: string, kind: 'labels' | 'images'): string {
  const parts = dir.split('/');
  const i = parts.lastIndexOf(kind);
  return parts[i + 1] ?? parts[i - 1] ?? '';
}

/**
 * Which files of a folder (relative paths, `/`-separated) are the dataset's: no file is read.
 * Returns a message instead when the folder holds no label files.
 */
export function planYoloDataset(paths: readonly string[]): YoloDatasetPlan | { problem: string } {
  const sorted = [...paths].sort();
  const top = (names: string[]) => sorted.find((p) => names.includes(p.toLowerCase()));
  const yaml = top(['data.yaml', 'data.yml']);
  const classList = top(['classes.txt', 'obj.names', 'labels/classes.txt', 'labels/obj.names']);
  const isClassList = (p: string) => /^(classes\.txt|obj\.names)$/i.test(baseOf(p));
  const inFolder = (p: string, kind: string) => dirOf(p).split('/').includes(kind);
  let labels = sorted.filter((p) => extOf(p) === '.txt' && inFolder(p, 'labels') && !isClassList(p));
  let images = sorted.filter((p) => IMAGE_EXTENSIONS.includes(extOf(p)) && inFolder(p, 'images'));
  let labelDirOf = (imageDir: string) => swapFolder(imageDir, 'images', 'labels') ?? imageDir;
  if (!labels.length) {
    // The flat form: label files beside their images, named by a class list in the same folder.
    const home = classList ? dirOf(classList) : '';
    labels = sorted.filter((p) => dirOf(p) === home && extOf(p) === '.txt' && !isClassList(p) && !/^readme/i.test(baseOf(p)));
    images = sorted.filter((p) => (dirOf(p) === home || inFolder(p, 'images')) && IMAGE_EXTENSIONS.includes(extOf(p)));
    labelDirOf = () => home;
  }
  if (!labels.length) return { problem: 'holds no YOLO label files: expected labels/*.txt, <split>/labels/*.txt, or *.txt beside classes.txt' };
  const items: YoloDatasetPlan['items'] = [];
  const byLabel = new Map<string, YoloDatasetPlan['items'][number]>();
  for (const label of labels) {
    const item = { label, split: splitOf(dirOf(label), 'labels') };
    byLabel.set(`${dirOf(label)}/${fileStem(label)}`, item);
    items.push(item);
  }
  for (const image of images) {
    const key = `${labelDirOf(dirOf(image))}/${fileStem(image)}`;
    const item = byLabel.get(key);
    if (item && !item.image) item.image = image;
    else if (!item) items.push({ image, split: splitOf(dirOf(image), 'images') }); // no label file: an image with nothing drawn
  }
  items.sort((a, b) => ((a.image ?? a.label)! < (b.image ?? b.label)! ? -1 : 1));
  const splits = [...new Set(items.map((i) => i.split).filter((s) => s && s !== 'labels' && s !== 'images'))];
  return { ...(yaml ? { yaml } : {}), ...(classList ? { classList } : {}), items, splits };
}

/** A YAML scalar as data.yaml files write them: plain, 'single-quoted' or "double-quoted". */
function scalar(raw: string): string {
  const s = raw.trim();
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replaceAll("''", "'");
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1'));
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

/** Splits a flow collection's inside at top-level commas, keeping quoted commas. */
function flowItems(inside: string): string[] {
  const out: string[] = [];
  let quote = '', current = '';
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i];
    if (quote) {
      if (c === quote && !(quote === '"' && inside[i - 1] === '\\')) quote = '';
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ',') {
      out.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim()) out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** A line without its comment (` #` outside quotes). */
function withoutComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** `0: name` keys must run 0, 1, 2…; a list is already in order. */
function namesFromMap(entries: [string, string][], where: string, report: Report): string[] | undefined {
  const names: string[] = [];
  for (const [k, v] of entries) {
    const i = Number(scalar(k));
    if (!Number.isInteger(i) || i < 0 || i > 100_000) return void report.problem(where, `names: "${k.slice(0, 30)}" is not a class number`);
    if (names[i] !== undefined) return void report.problem(where, `names: class ${i} is named twice`);
    names[i] = v;
  }
  const gap = names.findIndex((n) => n === undefined);
  if (gap >= 0) return void report.problem(where, `names: class ${gap} has no name (class numbers run 0, 1, 2…)`);
  return names;
}

/**
 * The class names of a `data.yaml`: `names` as a list (`[a, b]` or `- a` lines) or a map
 * (`{0: a}` or `0: a` lines), checked against `nc` when given. Only these keys are read.
 */
export function parseDataYaml(text: string, path: string, report: Report): string[] | undefined {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n?|\n/);
  let names: string[] | undefined;
  let namesLine = 0;
  let nc: { value: number; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = withoutComment(lines[i]);
    const m = /^(names|nc)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const where = `${path} line ${i + 1}`;
    if (m[1] === 'nc') {
      const value = Number(scalar(m[2]));
      if (!Number.isInteger(value) || value < 0) return void report.problem(where, `nc must be a whole number, not "${m[2].slice(0, 30)}"`);
      nc = { value, line: i + 1 };
      continue;
    }
    namesLine = i + 1;
    let value = m[2].trim();
    if (value.startsWith('[') || value.startsWith('{')) {
      // A flow collection may go on over several lines.
      const close = value[0] === '[' ? ']' : '}';
      while (!value.trimEnd().endsWith(close) && i + 1 < lines.length) value += ' ' + withoutComment(lines[++i]).trim();
      if (!value.trimEnd().endsWith(close)) return void report.problem(where, `names: "${value[0]}" is never closed`);
      const items = flowItems(value.trim().slice(1, -1));
      if (close === ']') names = items.map(scalar);
      else {
        const entries = items.map((item) => {
          const colon = item.search(/:(\s|$)/);
          return [colon < 0 ? item : item.slice(0, colon), colon < 0 ? '' : scalar(item.slice(colon + 1))] as [string, string];
        });
        names = namesFromMap(entries, where, report);
        if (!names) return undefined;
      }
    } else if (value) {
      return void report.problem(where, 'names must be a list of class names, e.g. names: [polyp, cancer]');
    } else {
      // Block form: the indented lines that follow.
      const list: string[] = [];
      const map: [string, string][] = [];
      while (i + 1 < lines.length && (/^\s+\S/.test(lines[i + 1]) || /^-\s/.test(lines[i + 1]) || !withoutComment(lines[i + 1]).trim())) {
        const item = withoutComment(lines[++i]).trim();
        if (!item) continue;
        if (item.startsWith('- ') || item === '-') list.push(scalar(item.slice(1)));
        else {
          const colon = item.search(/:(\s|$)/);
          if (colon < 0) return void report.problem(`${path} line ${i + 1}`, `names: expected "- name" or "N: name", not "${item.slice(0, 30)}"`);
          map.push([item.slice(0, colon), scalar(item.slice(colon + 1))]);
        }
      }
      if (list.length && map.length) return void report.problem(where, 'names mixes a list and numbered entries');
      names = map.length ? namesFromMap(map, where, report) : list;
      if (!names) return undefined;
    }
  }
  if (!names) {
    if (nc) report.problem(`${path} line ${nc.line}`, 'gives nc but no names: add names: [first class, second class, …]');
    return undefined;
  }
  const empty = names.findIndex((n) => !n.trim());
  if (empty >= 0) return void report.problem(`${path} line ${namesLine}`, `names: class ${empty} has an empty name`);
  if (nc && nc.value !== names.length) return void report.problem(`${path} line ${nc.line}`, `nc is ${nc.value} but names lists ${names.length} class${names.length === 1 ? '' : 'es'}`);
  return names;
}

/** One class name per line (`classes.txt`, `obj.names`); blank lines are skipped. */
export function parseClassList(text: string): string[] {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n?|\n/).map((l) => l.trim()).filter(Boolean);
}

/** Class names from a file given on purpose: a data.yaml-style `names:` entry, else one name per line. */
export function parseClassNames(text: string, path: string, report: Report): string[] | undefined {
  return /^(names|nc)\s*:/m.test(text) ? parseDataYaml(text, path, report) : parseClassList(text);
}

export interface YoloDatasetInput {
  /** Names the project and, unless `opts.annotator` does, the annotator: usually the folder's name. */
  name: string;
  plan: YoloDatasetPlan;
  /** Text of the plan's data.yaml, class list and label files, by path. */
  texts: ReadonlyMap<string, string>;
  /** Size of the plan's images by path, or why it could not be read. */
  sizes: ReadonlyMap<string, { width: number; height: number } | { problem: string }>;
  /** Images found elsewhere (e.g. a folder given beside the labels), matched by stem to label files without one. */
  extraImages?: readonly { name: string; width: number; height: number }[];
}

/**
 * Reads a YOLO dataset folder whose files the caller has read: one project, the splits merged, each
 * image named by its file name (its path in the folder when two splits share a name). An empty label
 * file is a negative: the image is recorded as looked at with nothing found ("no lesion").
 */
export function readYoloDataset(input: YoloDatasetInput, opts: YoloReadOptions = {}): ReadResult {
  return guarded('yolo', () => {
    const report = new Report();
    const { plan, texts } = input;
    const advice = opts.advice?.size ?? 'give the image sizes';
    let names = opts.classes;
    let namedBy = 'the class names given';
    if (!names && plan.yaml) {
      names = parseDataYaml(texts.get(plan.yaml) ?? '', plan.yaml, report);
      namedBy = plan.yaml;
    }
    if (!names && !report.failed && plan.classList) {
      names = parseClassList(texts.get(plan.classList) ?? '');
      namedBy = plan.classList;
    }
    if (report.failed) return report.fail('yolo');
    const imageNames = plan.items.map((item) => (item.image ? baseOf(item.image) : fileStem(item.label!)));
    const repeated = new Set(imageNames.filter((n, i) => imageNames.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i).map((n) => n.toLowerCase()));
    const extra = new Map((input.extraImages ?? []).map((im) => [fileStem(im.name), im]));
    const blocks: Block[] = [];
    plan.items.forEach((item, k) => {
      if (report.full) return;
      const found = item.image ? undefined : imageStems(fileStem(item.label!)).map((s) => extra.get(s)).find(Boolean);
      const name = found ? found.name : repeated.has(imageNames[k].toLowerCase()) ? (item.image ?? item.label!) : imageNames[k];
      const block: Block = { image: name, where: item.label ?? item.image!, labels: [] };
      const size = item.image ? input.sizes.get(item.image) : found;
      if (size && 'width' in size) block.size = [size.width, size.height];
      else if (!opts.imageSize) {
        const why = item.image ? `${item.image} ${size && 'problem' in size ? size.problem : 'could not be read'}` : `no image file ${fileStem(item.label!)}.* in ${swapFolder(dirOf(item.label!), 'labels', 'images') ?? (dirOf(item.label!) || 'the folder')}`;
        block.noSize = `${why}; ${advice}`;
      }
      if (item.label) {
        const text = texts.get(item.label) ?? '';
        text.split(/\r\n?|\n/).forEach((raw, i) => {
          const line = raw.trim();
          if (!line || line.startsWith('#') || report.full) return;
          const where = `${item.label} line ${i + 1}`;
          const label = parseLabelLine(line, where, names?.length, report, namedBy);
          if (label) block.labels.push({ label, where });
        });
        block.negative = !text.split(/\r\n?|\n/).some((l) => l.trim() && !l.trim().startsWith('#'));
      }
      blocks.push(block);
    });
    if (report.failed) return report.fail('yolo');
    if (plan.splits.length > 1) report.warn('(folder)', `the splits ${plan.splits.join(', ')} are read into one project: which image was in which split is not kept`);
    return buildYolo(blocks, names ?? [], input.name, opts, report);
  });
}
