import { nowIso } from '../../model/ids';
import type { Annotation, Annotator, AttributeValue, Geometry, ImageRecord, LabelSchema } from '../../model/types';
import { importedAnnotation } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { checkFlatRing, isFiniteNumber, isRecord } from '../interchange/checks';
import { ClassTable } from '../interchange/classes';
import { ContentIds, derivedId, fileStem } from '../interchange/ids';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { parseJsonText } from '../shared/validate';

/**
 * Label Studio's JSON export: a list of tasks, each `{id, data: {image}, annotations: [{id,
 * completed_by, result: […]}], predictions: […]}`. Coordinates in `result[].value` are percentages
 * of the image (0–100); `original_width`/`original_height` give the image size in pixels.
 */
export interface LabelStudioReadOptions extends ReadOptions {
  /** Image sizes by name, for tasks whose results do not give `original_width`/`original_height`. */
  images?: { name: string; width: number; height: number }[];
  /** Who drew annotations that do not say (no `completed_by`); default: the file's stem. */
  annotator?: string;
}

/** A task list (or one task) as Label Studio exports it. */
export function isLabelStudioTask(v: unknown): boolean {
  return isRecord(v) && isRecord(v.data) && (Array.isArray(v.annotations) || Array.isArray(v.predictions) || Array.isArray(v.completions));
}

const REGION_TYPES: Record<string, 'box' | 'polygon' | 'point' | 'ellipse'> = {
  rectanglelabels: 'box',
  rectangle: 'box',
  polygonlabels: 'polygon',
  polygon: 'polygon',
  keypointlabels: 'point',
  keypoint: 'point',
  ellipselabels: 'ellipse',
  ellipse: 'ellipse',
};
/** Results that describe a region (same `id`) or, alone, the whole image. */
const VALUE_TYPES = new Set(['choices', 'textarea', 'number', 'rating', 'taxonomy', 'labels']);
const ELLIPSE_VERTICES = 64;
const MAX_TASKS = 1_000_000;

interface Region {
  at: string;
  resultId?: string;
  kind: 'box' | 'polygon' | 'point' | 'ellipse';
  label?: string;
  fromName: string;
  value: Record<string, unknown>;
  score?: number;
  content: string;
}

interface Pending {
  id: string;
  imageName: string;
  classId: string;
  geometry: Geometry | null;
  annotatorId: string;
  attributes: Record<string, AttributeValue>;
  createdAt?: string;
  updatedAt?: string;
}

export function readLabelStudioText(text: string, fileName: string, opts: LabelStudioReadOptions = {}): ReadResult {
  return guarded('labelstudio', () => {
    const json = parseJsonText(text);
    return json.ok ? readUnguarded(json.value, fileName, opts) : { ok: false, format: 'labelstudio', problems: json.problems };
  });
}

export function readLabelStudio(value: unknown, fileName: string, opts: LabelStudioReadOptions = {}): ReadResult {
  return guarded('labelstudio', () => readUnguarded(value, fileName, opts));
}

/** `/data/upload/3/8f3a-frame%20001.jpg?x=1` → `8f3a-frame 001.jpg`: the file name the URL ends in. */
function imageNameOf(url: string): string {
  const path = url.split(/[?#]/)[0];
  const base = path.split('/').pop() || path;
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

function isoOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 64 && !Number.isNaN(Date.parse(v)) ? v : undefined;
}

function readUnguarded(root: unknown, fileName: string, opts: LabelStudioReadOptions): ReadResult {
  const now = opts.now ?? nowIso();
  const report = new Report();
  const tasks = Array.isArray(root) ? root : isLabelStudioTask(root) ? [root] : undefined;
  if (!tasks) {
    report.problem('(root)', 'expected a Label Studio JSON export: a list of tasks {data, annotations}');
    return report.fail('labelstudio');
  }
  if (tasks.length > MAX_TASKS) {
    report.problem('(root)', `has more than ${MAX_TASKS} tasks`);
    return report.fail('labelstudio');
  }
  const taskAt = (t: number) => (Array.isArray(root) ? `[${t}]` : '');
  const stem = (fileStem(fileName).trim() || 'annotator').slice(0, 200);
  const sizes = new Map((opts.images ?? []).map((im) => [im.name, im]));
  const classes = new ClassTable([]);
  const annotators = new Map<string, Unowned<Annotator>>();
  const images = new Map<string, { width?: number; height?: number; at?: string; order: number }>();
  const pending: Pending[] = [];
  const content = new ContentIds('ann');
  const usedIds = new Set<string>();
  const unread = new Map<string, string>();
  let cancelled = 0;
  tasks.forEach((task, t) => {
    if (report.full) return;
    const at = taskAt(t);
    if (!isRecord(task)) return report.problem(at || '(root)', 'must be a task object {data, annotations}');
    if (!isRecord(task.data)) return report.problem(sub(at, 'data'), 'must be an object naming the image');
    const data = task.data;
    const url = typeof data.image === 'string' ? data.image : Object.values(data).find((v): v is string => typeof v === 'string' && /\.(jpe?g|png|tiff?|bmp|webp|gif|svs|ndpi)(\?|#|$)/i.test(v));
    if (!url || !imageNameOf(url).trim()) return report.problem(sub(at, 'data.image'), 'must name the image (its URL or path)');
    const imageName = imageNameOf(url).slice(0, 1000);
    if (!images.has(imageName)) images.set(imageName, { order: images.size });
    const taskId = task.id;
    // Annotations by people, then a model's predictions (named after its version).
    const groups: [string, unknown][] = [
      ['annotations', task.annotations],
      ['completions', task.completions],
      ['predictions', task.predictions],
    ];
    // Sizes first: any result may give them, and every region needs them.
    for (const [key, list] of groups) {
      if (!Array.isArray(list)) continue;
      list.forEach((ann, a) => {
        if (!isRecord(ann) || !Array.isArray(ann.result)) return;
        ann.result.forEach((r, i) => {
          if (isRecord(r) && (r.original_width !== undefined || r.original_height !== undefined)) sizeFrom(r, `${sub(at, key)}[${a}].result[${i}]`, images.get(imageName)!, report);
        });
      });
    }
    for (const [key, list] of groups) {
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) {
        report.problem(sub(at, key), 'must be a list');
        continue;
      }
      list.forEach((ann, a) => {
        const annAt = `${sub(at, key)}[${a}]`;
        if (!isRecord(ann)) return report.problem(annAt, 'must be an object with a result list');
        if (ann.was_cancelled === true) return void cancelled++;
        const annotatorId = annotatorOf(ann, key, stem, opts, annotators);
        if (!Array.isArray(ann.result)) return report.problem(`${annAt}.result`, 'must be a list');
        readResults(ann.result, `${annAt}.result`, {
          report,
          image: images.get(imageName)!,
          imageName,
          // Task and annotation ids name a label for good; without them, its content does.
          sourceKey: isId(taskId) && isId(ann.id) ? `${String(taskId)}\u0000${key}\u0000${String(ann.id)}` : undefined,
          usedIds,
          annotatorId,
          classes,
          content,
          pending,
          unread,
          sizes,
          times: { createdAt: isoOf(ann.created_at), updatedAt: isoOf(ann.updated_at) },
        });
      });
    }
  });
  if (cancelled) report.warn('(file)', `${cancelled} skipped (cancelled) annotation${cancelled > 1 ? 's were' : ' was'} left out`);
  for (const [type, at] of unread) report.warn(at, type === '\u0000ellipse' ? `ellipses became polygons of ${ELLIPSE_VERTICES} points` : `"${type}" results are not read`);
  if (report.failed) return report.fail('labelstudio');

  // Images: the size the results give, else the caller's, else 1 × 1 (only image-level labels need none).
  const records = new Map<string, Unowned<ImageRecord>>();
  let unsized = 0;
  for (const [name, im] of images) {
    const given = sizes.get(name);
    const width = im.width ?? given?.width;
    const height = im.height ?? given?.height;
    if (width === undefined || height === undefined) unsized++;
    records.set(name, importedImage({ name, width: width ?? 1, height: height ?? 1, order: im.order, now, modality: opts.modality }));
  }
  if (unsized) report.warn('(file)', `${unsized} image${unsized > 1 ? 's have' : ' has'} no size in the file (no original_width/original_height): set to 1 × 1; give their sizes to place them`);

  const shapes = new Set(pending.map((p) => p.geometry?.type ?? 'image'));
  const granularity: LabelSchema['granularity'] = shapes.has('polygon') ? 'polygon' : shapes.has('box') ? 'box' : shapes.has('point') ? 'point' : 'image';
  const perImage = new Map<string, number>();
  for (const p of pending) if (!p.geometry) perImage.set(`${p.imageName}\u0000${p.annotatorId}`, (perImage.get(`${p.imageName}\u0000${p.annotatorId}`) ?? 0) + 1);
  const selection = [...perImage.values()].some((n) => n > 1) ? 'multi' : 'single';
  const schema = importedSchema({ granularity, selection, classes: classes.added, title: stem, now });
  const annotations: Unowned<Annotation>[] = pending.map((p) => {
    const a = importedAnnotation({ id: p.id, imageId: records.get(p.imageName)!.id, classId: p.classId, geometry: p.geometry, annotatorId: p.annotatorId, schema, attributes: p.attributes, ext: undefined, now });
    if (p.createdAt) a.createdAt = p.createdAt;
    if (p.updatedAt ?? p.createdAt) a.updatedAt = (p.updatedAt ?? p.createdAt)!;
    return a;
  });
  return finish('labelstudio', report, () => assemble({ name: stem, now, schemas: [schema], images: [...records.values()], annotators: [...annotators.values()], annotations }), now);
}

function isId(v: unknown): boolean {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length > 0);
}

function sub(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

/** `completed_by` is a user id (or, in some versions, the user); a prediction is its model's. */
function annotatorOf(ann: Record<string, unknown>, key: string, stem: string, opts: LabelStudioReadOptions, annotators: Map<string, Unowned<Annotator>>): string {
  let id: string;
  let name: string;
  const by = ann.completed_by;
  if (key === 'predictions') {
    const version = typeof ann.model_version === 'string' && ann.model_version.trim() ? ann.model_version.trim().slice(0, 150) : 'predictions';
    id = name = `model ${version}`;
  } else if (isRecord(by) && (typeof by.id === 'number' || typeof by.id === 'string')) {
    id = `user-${String(by.id).slice(0, 150)}`;
    name = typeof by.email === 'string' && by.email ? by.email.slice(0, 200) : id;
  } else if (typeof by === 'number' || (typeof by === 'string' && by)) {
    id = name = `user-${String(by).slice(0, 150)}`;
  } else id = name = opts.annotator ?? stem;
  if (!annotators.has(id)) annotators.set(id, { id, displayName: name });
  return id;
}

interface Context {
  report: Report;
  image: { width?: number; height?: number; at?: string };
  imageName: string;
  /** Task, list and annotation ids: with a result's own id, a stable id for the label. */
  sourceKey: string | undefined;
  usedIds: Set<string>;
  annotatorId: string;
  classes: ClassTable;
  content: ContentIds;
  pending: Pending[];
  unread: Map<string, string>;
  sizes: Map<string, { width: number; height: number }>;
  times: { createdAt?: string; updatedAt?: string };
}

/** The value a per-region or image-level result gives: a choice (or several, joined), a text, a number. */
function valueOf(r: Record<string, unknown>, type: string): AttributeValue | undefined {
  const v = isRecord(r.value) ? r.value : {};
  const list = v[type];
  if (type === 'number' || type === 'rating') return isFiniteNumber(list) ? list : undefined;
  if (type === 'textarea') return Array.isArray(v.text) && v.text.every((s) => typeof s === 'string') ? v.text.join('\n') : undefined;
  if (type === 'taxonomy') return Array.isArray(list) ? list.map((path) => (Array.isArray(path) ? path.join(' / ') : String(path))).join(', ') : undefined;
  return Array.isArray(list) && list.every((s) => typeof s === 'string') ? list.join(', ') : undefined;
}

function readResults(results: unknown[], at: string, c: Context): void {
  const { report } = c;
  const regions: Region[] = [];
  const extras: { at: string; id?: string; type: string; fromName: string; r: Record<string, unknown> }[] = [];
  results.forEach((r, i) => {
    const here = `${at}[${i}]`;
    if (!isRecord(r)) return report.problem(here, 'must be a result object {type, value}');
    const type = typeof r.type === 'string' ? r.type.toLowerCase() : '';
    const fromName = typeof r.from_name === 'string' && r.from_name ? r.from_name.slice(0, 200) : type;
    const resultId = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : undefined;
    if (isFiniteNumber(r.image_rotation) && r.image_rotation !== 0) report.warn(`${here}.image_rotation`, 'the image was shown rotated: coordinates are read as of the unrotated image');
    const kind = REGION_TYPES[type];
    if (kind) {
      if (!isRecord(r.value)) return report.problem(`${here}.value`, 'must be an object');
      const labels = r.value[type] ?? r.value.labels;
      if (labels !== undefined && !(Array.isArray(labels) && labels.every((l) => typeof l === 'string'))) return report.problem(`${here}.value.${type}`, 'must be a list of label names');
      const names = (labels as string[] | undefined) ?? [];
      if (names.length > 1) report.warn(`${here}.value.${type}`, `has ${names.length} labels: kept the first, "${names[0].slice(0, 100)}" (a Granula shape has one class)`);
      regions.push({ at: here, resultId, kind, label: names[0], fromName, value: r.value, ...(isFiniteNumber(r.score) ? { score: r.score } : {}), content: JSON.stringify(r) });
    } else if (VALUE_TYPES.has(type)) extras.push({ at: here, id: resultId, type, fromName, r });
    else if (!c.unread.has(type || '(no type)')) c.unread.set(type || '(no type)', here);
  });
  const regionIds = new Set(regions.map((r) => r.resultId).filter((id) => id !== undefined));
  const attributesOf = new Map<string | undefined, Record<string, AttributeValue>>();
  const imageLabels: { at: string; label: string; id?: string; content: string }[] = [];
  const imageAttributes: Record<string, AttributeValue> = {};
  for (const e of extras) {
    const value = valueOf(e.r, e.type);
    if (value === undefined) {
      report.warn(`${e.at}.value`, `not kept: a "${e.type}" result without a value`);
      continue;
    }
    if (e.id !== undefined && regionIds.has(e.id)) {
      // A per-region answer (a choice, a text, a number about one shape): an attribute of that shape.
      const attrs = attributesOf.get(e.id) ?? {};
      if (e.type === 'labels' && typeof value === 'string') attrs['\u0000label'] = value;
      else attrs[e.fromName] = value;
      attributesOf.set(e.id, attrs);
    } else if (e.type === 'choices' || e.type === 'taxonomy') {
      const list = (isRecord(e.r.value) ? e.r.value[e.type] : undefined) as unknown[];
      for (const choice of list) imageLabels.push({ at: e.at, label: Array.isArray(choice) ? choice.join(' / ') : String(choice), ...(e.id !== undefined ? { id: e.id } : {}), content: JSON.stringify(e.r) });
    } else imageAttributes[e.fromName] = value;
  }
  const idOf = (resultId: string | undefined, content: string, label?: string) => {
    const fromSource = resultId !== undefined && c.sourceKey !== undefined ? derivedId('ann', `labelstudio\u0000${c.sourceKey}\u0000${resultId}${label === undefined ? '' : `\u0000${label}`}`) : undefined;
    const id = fromSource !== undefined && !c.usedIds.has(fromSource) ? fromSource : c.content.next(`${c.annotatorId}\u0000${c.imageName}\u0000${content}${label === undefined ? '' : `\u0000${label}`}`);
    c.usedIds.add(id);
    return id;
  };
  for (const region of regions) {
    const geometry = geometryOf(region, c);
    if (!geometry) continue;
    const attrs = { ...(attributesOf.get(region.resultId) ?? {}) };
    const labelFromTag = attrs['\u0000label'];
    delete attrs['\u0000label'];
    const label = region.label ?? (typeof labelFromTag === 'string' ? labelFromTag : region.fromName);
    if (region.score !== undefined) attrs.score = region.score;
    c.pending.push({ id: idOf(region.resultId, region.content), imageName: c.imageName, classId: c.classes.idFor(label.slice(0, 500)), geometry, annotatorId: c.annotatorId, attributes: attrs, ...c.times });
  }
  for (const l of imageLabels) {
    if (!l.label.trim()) continue;
    c.pending.push({ id: idOf(l.id, l.content, l.label), imageName: c.imageName, classId: c.classes.idFor(l.label.slice(0, 500)), geometry: null, annotatorId: c.annotatorId, attributes: { ...imageAttributes }, ...c.times });
  }
  const loose = Object.keys(imageAttributes);
  if (loose.length && !imageLabels.length) report.warn(at, `not kept: ${loose.map((k) => `"${k}"`).join(', ')} (an answer about the whole image needs an image-level label to belong to)`);
}

/** The image's size from a result; every result of an image must agree. */
function sizeFrom(r: Record<string, unknown>, at: string, im: { width?: number; height?: number; at?: string }, report: Report): void {
  const w = r.original_width, h = r.original_height;
  if (!Number.isSafeInteger(w) || !Number.isSafeInteger(h) || (w as number) <= 0 || (h as number) <= 0) {
    return report.problem(`${at}.original_width`, 'original_width and original_height must be whole numbers above zero');
  }
  if (im.width === undefined) Object.assign(im, { width: w, height: h, at });
  else if (im.width !== w || im.height !== h) report.problem(`${at}.original_width`, `${w} × ${h} differs from ${im.width} × ${im.height} at ${im.at}`);
}

function num(v: Record<string, unknown>, key: string, at: string, report: Report): number | undefined {
  if (isFiniteNumber(v[key])) return v[key] as number;
  return void report.problem(`${at}.value.${key}`, 'must be a number (a percentage of the image, 0–100)');
}

/** Percentages → pixels. A rotated rectangle (rotation about its top-left corner, clockwise) becomes its four corners. */
function geometryOf(region: Region, c: Context): Geometry | undefined {
  const { report } = c;
  const { at, value: v } = region;
  const size = c.image.width !== undefined ? { width: c.image.width, height: c.image.height! } : c.sizes.get(c.imageName);
  if (!size) return void report.problem(at, 'needs original_width and original_height (or the image size) to place its percentages');
  const W = size.width / 100, H = size.height / 100;
  switch (region.kind) {
    case 'box': {
      const x = num(v, 'x', at, report), y = num(v, 'y', at, report), w = num(v, 'width', at, report), h = num(v, 'height', at, report);
      if (x === undefined || y === undefined || w === undefined || h === undefined) return undefined;
      if (w <= 0 || h <= 0) return void report.problem(`${at}.value`, 'a rectangle needs a width and height above zero');
      const rotation = isFiniteNumber(v.rotation) ? v.rotation : 0;
      if (rotation % 360 === 0) return { type: 'box', x: x * W, y: y * H, w: w * W, h: h * H };
      const t = (rotation * Math.PI) / 180, cos = Math.cos(t), sin = Math.sin(t);
      const x0 = x * W, y0 = y * H, pw = w * W, ph = h * H;
      const corners = [0, 0, pw, 0, pw, ph, 0, ph];
      const points: number[] = [];
      for (let i = 0; i < 8; i += 2) points.push(x0 + corners[i] * cos - corners[i + 1] * sin, y0 + corners[i] * sin + corners[i + 1] * cos);
      return { type: 'polygon', points };
    }
    case 'polygon': {
      const pts = v.points;
      if (!Array.isArray(pts)) return void report.problem(`${at}.value.points`, 'must be a list of [x, y] percentages');
      const flat: number[] = [];
      for (let i = 0; i < pts.length; i++) {
        const p = pts[i];
        if (!Array.isArray(p) || p.length < 2 || !isFiniteNumber(p[0]) || !isFiniteNumber(p[1])) return void report.problem(`${at}.value.points[${i}]`, 'must be [x, y], numbers (percentages of the image)');
        flat.push(p[0] * W, p[1] * H);
      }
      const n = flat.length;
      if (n >= 4 && flat[0] === flat[n - 2] && flat[1] === flat[n - 1]) flat.length = n - 2;
      const ring = checkFlatRing(flat, `${at}.value.points`, report);
      return ring && { type: 'polygon', points: ring };
    }
    case 'point': {
      const x = num(v, 'x', at, report), y = num(v, 'y', at, report);
      return x === undefined || y === undefined ? undefined : { type: 'point', x: x * W, y: y * H };
    }
    case 'ellipse': {
      // Centre and radii; an outline of many vertices, as other tools draw an ellipse in GeoJSON.
      const x = num(v, 'x', at, report), y = num(v, 'y', at, report), rx = num(v, 'radiusX', at, report), ry = num(v, 'radiusY', at, report);
      if (x === undefined || y === undefined || rx === undefined || ry === undefined) return undefined;
      if (rx <= 0 || ry <= 0) return void report.problem(`${at}.value`, 'an ellipse needs radii above zero');
      const t = ((isFiniteNumber(v.rotation) ? v.rotation : 0) * Math.PI) / 180;
      const points: number[] = [];
      for (let k = 0; k < ELLIPSE_VERTICES; k++) {
        const a = (2 * Math.PI * k) / ELLIPSE_VERTICES;
        const dx = rx * W * Math.cos(a), dy = ry * H * Math.sin(a);
        points.push(x * W + dx * Math.cos(t) - dy * Math.sin(t), y * H + dx * Math.sin(t) + dy * Math.cos(t));
      }
      if (!c.unread.has('\u0000ellipse')) c.unread.set('\u0000ellipse', at);
      return { type: 'polygon', points };
    }
  }
}
