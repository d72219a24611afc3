import { nowIso } from '../../model/ids';
import type { Annotation, AttributeDef, AttributeValue, Geometry, ImageRecord, LabelClass, LabelSchema } from '../../model/types';
import { importedAnnotation } from '../interchange/annotations';
import { assemble, finish, importedImage, importedSchema, type ReadOptions, type Unowned } from '../interchange/build';
import { checkFlatRing } from '../interchange/checks';
import { ClassTable } from '../interchange/classes';
import { paletteColor } from '../interchange/colors';
import { ContentIds, derivedId, fileStem } from '../interchange/ids';
import { MAX_MASK_PIXELS, traceMask } from '../interchange/mask';
import { guarded, Report, type ReadResult } from '../interchange/result';
import { child, parseXml, type XmlElement } from './xml';

/**
 * CVAT for images 1.1 (`annotations.xml`), as CVAT exports a task, job or project:
 * `<annotations><meta>…<labels><label><name/><color/><attributes>…</attributes></label></labels>…</meta>
 * <image id name width height><box label xtl ytl xbr ybr occluded rotation><attribute name>value</attribute></box>
 * <polygon label points="x,y;x,y"/><points/><tag label/><mask label rle left top width height/></image></annotations>`.
 * Coordinates are image pixels.
 */
export interface CvatReadOptions extends ReadOptions {
  /** Who drew the shapes (CVAT's XML names no author per shape); default: the file's stem. */
  annotator?: string;
}

/** Whether a text looks like CVAT's XML: an XML document whose root is `<annotations>`. */
export function looksLikeCvatXml(text: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<annotations[\s>]/.test(text.slice(0, 4096));
}

const ELLIPSE_VERTICES = 64;
const NOT_READ: Record<string, string> = {
  polyline: 'a polyline is not kept (Granula has no line shape)',
  cuboid: 'a cuboid is not kept (Granula has no 3-D shapes)',
  skeleton: 'a skeleton is not kept (Granula has no keypoint skeletons)',
  track: 'tracks (CVAT for video) are not read: export the task as CVAT for images',
};

interface Pending {
  id: string;
  imageName: string;
  classId: string;
  geometry: Geometry | null;
  parts?: number[][][];
  attributes: Record<string, AttributeValue>;
}

export function readCvatText(text: string, fileName: string, opts: CvatReadOptions = {}): ReadResult {
  return guarded('cvat', () => readUnguarded(text, fileName, opts));
}

/** `image[3].box[2].xtl (line 57)`: the element by name and position among its like, and the line. */
function where(path: string, el: XmlElement, attr?: string): string {
  return `${path}${attr ? `.${attr}` : ''} (line ${el.line})`;
}

function number(el: XmlElement, attr: string, path: string, report: Report): number | undefined {
  const raw = el.attrs[attr];
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (Number.isFinite(n)) return n;
  return void report.problem(where(path, el, attr), raw === undefined ? 'is missing' : `must be a number, not "${raw.slice(0, 50)}"`);
}

/** `x0,y0;x1,y1;…` → flat coordinates. */
function pointsOf(el: XmlElement, path: string, report: Report): number[] | undefined {
  const raw = el.attrs.points;
  if (raw === undefined) return void report.problem(where(path, el, 'points'), 'is missing');
  const flat: number[] = [];
  const pairs = raw.split(';').filter((p) => p.trim());
  for (let k = 0; k < pairs.length; k++) {
    const xy = pairs[k].split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
    if (xy.length !== 2 || !xy.every(Number.isFinite)) return void report.problem(where(path, el, 'points'), `point ${k} ("${pairs[k].slice(0, 50)}") must be x,y numbers`);
    flat.push(xy[0], xy[1]);
  }
  return flat;
}

/** The labels CVAT describes in `<meta>`, in order: a class each, with its colour and attributes. */
function metaLabels(root: XmlElement): { name: string; color?: string; attributes: AttributeDef[] }[] {
  const out: { name: string; color?: string; attributes: AttributeDef[] }[] = [];
  const seen = new Set<string>();
  const meta = child(root, 'meta');
  const visit = (el: XmlElement, depth: number) => {
    if (depth > 8) return;
    if (el.name === 'label') {
      const name = child(el, 'name')?.text.trim();
      if (!name || seen.has(name) || child(el, 'parent')?.text.trim()) return;
      seen.add(name);
      const color = child(el, 'color')?.text.trim();
      const attributes = (child(el, 'attributes')?.children ?? []).filter((a) => a.name === 'attribute').map(attributeDef).filter((d): d is AttributeDef => !!d);
      out.push({ name, ...(color && /^#[0-9a-fA-F]{6}$/.test(color) ? { color: color.toLowerCase() } : {}), attributes });
      return;
    }
    for (const c of el.children) visit(c, depth + 1);
  };
  if (meta) visit(meta, 0);
  return out;
}

/** A CVAT attribute spec → Granula's: select/radio → a choice, checkbox → yes/no, number → a number (min, max, step), text → text. */
function attributeDef(a: XmlElement): AttributeDef | undefined {
  const id = child(a, 'name')?.text.trim();
  if (!id || id.length > 200) return undefined;
  const input = child(a, 'input_type')?.text.trim().toLowerCase();
  const values = (child(a, 'values')?.text ?? '').split('\n').map((v) => v.trim()).filter(Boolean);
  const base = { id, name: { en: id, ja: id }, required: false };
  switch (input) {
    case 'select':
    case 'radio': {
      const options = [...new Set(values)].filter((v) => v.length <= 200).map((v) => ({ id: v, name: { en: v, ja: v } }));
      return options.length ? { ...base, type: 'enum', options } : { ...base, type: 'text' };
    }
    case 'checkbox':
      return { ...base, type: 'boolean' };
    case 'number': {
      const [min, max] = values.map(Number);
      return { ...base, type: 'number', ...(Number.isFinite(min) ? { min } : {}), ...(Number.isFinite(max) ? { max } : {}) };
    }
    default:
      return { ...base, type: 'text' };
  }
}

function readUnguarded(text: string, fileName: string, opts: CvatReadOptions): ReadResult {
  const now = opts.now ?? nowIso();
  const report = new Report();
  const parsed = parseXml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!parsed.ok) {
    report.problem(`line ${parsed.line}`, parsed.message);
    return report.fail('cvat');
  }
  const root = parsed.root;
  if (root.name !== 'annotations') {
    report.problem(`<${root.name}> (line ${root.line})`, "expected CVAT's <annotations> as the root element (CVAT for images 1.1)");
    return report.fail('cvat');
  }
  const version = child(root, 'version')?.text.trim();
  if (version && !version.startsWith('1.')) report.warn(`version (line ${child(root, 'version')!.line})`, `version ${version.slice(0, 20)}: read as CVAT for images 1.1`);
  const stem = (fileStem(fileName).trim() || 'annotator').slice(0, 200);
  const annotatorId = (opts.annotator ?? stem).slice(0, 200);

  const labels = metaLabels(root);
  const known: LabelClass[] = labels.map((l, i) => ({ id: l.name.length <= 200 ? l.name : derivedId('cls', l.name), name: { en: l.name, ja: l.name }, color: l.color ?? paletteColor(i), attributes: l.attributes }));
  const classes = new ClassTable(known);
  const defs = new Map(known.map((c) => [c.id, new Map(c.attributes.map((d) => [d.id, d]))]));
  const images = new Map<string, Unowned<ImageRecord>>();
  const pending: Pending[] = [];
  const ids = new ContentIds('ann');
  const once = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const el of root.children) {
    if (report.full) break;
    const n = counters.get(el.name) ?? 0;
    counters.set(el.name, n + 1);
    const path = `${el.name}[${n}]`;
    if (el.name === 'image') readImage(el, path, { report, images, pending, classes, defs, ids, annotatorId, once, now, opts });
    else if (NOT_READ[el.name] && !once.has(el.name)) once.set(el.name, where(path, el));
  }
  for (const [name, at] of once) report.warn(at, name === 'ellipse' ? `ellipses became polygons of ${ELLIPSE_VERTICES} points` : name === 'mask' ? 'masks were traced to polygons along their pixel edges' : NOT_READ[name] ?? `<${name}> is not read`);
  if (report.failed) return report.fail('cvat');

  const shapes = new Set(pending.map((p) => p.geometry?.type ?? 'image'));
  const granularity: LabelSchema['granularity'] = shapes.has('polygon') ? 'polygon' : shapes.has('box') ? 'box' : shapes.has('point') ? 'point' : 'image';
  const tags = new Map<string, number>();
  for (const p of pending) if (!p.geometry) tags.set(p.imageName, (tags.get(p.imageName) ?? 0) + 1);
  const schema = importedSchema({ granularity, selection: [...tags.values()].some((k) => k > 1) ? 'multi' : 'single', classes: [...known, ...classes.added], title: stem, now });
  const annotations: Unowned<Annotation>[] = pending.map((p) =>
    importedAnnotation({ id: p.id, imageId: images.get(p.imageName)!.id, classId: p.classId, geometry: p.geometry, annotatorId, schema, attributes: p.attributes, ext: undefined, now, carried: p.parts?.length ? { parts: p.parts } : undefined }),
  );
  return finish('cvat', report, () => assemble({ name: stem, now, schemas: [schema], images: [...images.values()], annotators: [{ id: annotatorId, displayName: annotatorId }], annotations }), now);
}

interface Context {
  report: Report;
  images: Map<string, Unowned<ImageRecord>>;
  pending: Pending[];
  classes: ClassTable;
  defs: Map<string, Map<string, AttributeDef>>;
  ids: ContentIds;
  annotatorId: string;
  once: Map<string, string>;
  now: string;
  opts: CvatReadOptions;
}

function readImage(el: XmlElement, path: string, c: Context): void {
  const { report } = c;
  const name = el.attrs.name;
  if (!name?.trim()) return report.problem(where(path, el, 'name'), 'must name the image file');
  if (name.length > 1000) return report.problem(where(path, el, 'name'), 'is longer than 1000 characters');
  const width = Number(el.attrs.width), height = Number(el.attrs.height);
  if (!Number.isSafeInteger(width) || width <= 0) report.problem(where(path, el, 'width'), 'must be a whole number above zero');
  if (!Number.isSafeInteger(height) || height <= 0) report.problem(where(path, el, 'height'), 'must be a whole number above zero');
  if (report.failed) return;
  if (c.images.has(name)) return report.problem(where(path, el, 'name'), `duplicate image "${name.slice(0, 200)}"`);
  c.images.set(name, importedImage({ name, width, height, order: c.images.size, now: c.now, modality: c.opts.modality }));
  const counters = new Map<string, number>();
  for (const shape of el.children) {
    const n = counters.get(shape.name) ?? 0;
    counters.set(shape.name, n + 1);
    const at = `${path}.${shape.name}[${n}]`;
    if (NOT_READ[shape.name]) {
      if (!c.once.has(shape.name)) c.once.set(shape.name, where(at, shape));
      continue;
    }
    const geometry = shapeOf(shape, at, c);
    if (geometry === undefined) continue;
    const label = shape.attrs.label;
    if (!label?.trim()) {
      report.problem(where(at, shape, 'label'), 'must name the label');
      continue;
    }
    const classId = c.classes.idFor(label.slice(0, 500));
    const attributes = attributesOf(shape, at, c.defs.get(classId), report);
    // CVAT names no shape: the id is a hash of what the shape says, in its image, by its annotator.
    const content = `${c.annotatorId}\u0000${name}\u0000${shape.name}\u0000${JSON.stringify(shape.attrs)}\u0000${JSON.stringify(attributes)}`;
    for (const g of geometry) c.pending.push({ id: c.ids.next(content), imageName: name, classId, geometry: g.geometry, ...(g.parts?.length ? { parts: g.parts } : {}), attributes });
  }
}

/** `<attribute name>value</attribute>`s, typed by the label's attribute spec; `occluded` as CVAT's COCO export writes it. */
function attributesOf(shape: XmlElement, at: string, defs: Map<string, AttributeDef> | undefined, report: Report): Record<string, AttributeValue> {
  const out: [string, AttributeValue][] = [];
  if (shape.attrs.occluded !== undefined) out.push(['occluded', shape.attrs.occluded === '1' || shape.attrs.occluded.toLowerCase() === 'true']);
  let k = 0;
  for (const a of shape.children) {
    if (a.name !== 'attribute') continue;
    const here = `${at}.attribute[${k++}]`;
    const id = a.attrs.name;
    if (!id?.trim() || id.length > 200) {
      report.warn(where(here, a, 'name'), 'not kept: an attribute needs a name');
      continue;
    }
    const text = a.text.trim();
    const def = defs?.get(id);
    if (def?.type === 'boolean') out.push([id, text.toLowerCase() === 'true']);
    else if (def?.type === 'number' && text !== '' && Number.isFinite(Number(text))) out.push([id, Number(text)]);
    else out.push([id, text.slice(0, 10_000)]);
  }
  return Object.fromEntries(out);
}

type Shape = { geometry: Geometry | null; parts?: number[][][] };

/** One shape element → its geometry (several for several points); undefined after a problem or for a shape not read. */
function shapeOf(el: XmlElement, at: string, c: Context): Shape[] | undefined {
  const { report } = c;
  switch (el.name) {
    case 'tag':
      return [{ geometry: null }];
    case 'box': {
      const xtl = number(el, 'xtl', at, report), ytl = number(el, 'ytl', at, report), xbr = number(el, 'xbr', at, report), ybr = number(el, 'ybr', at, report);
      if (xtl === undefined || ytl === undefined || xbr === undefined || ybr === undefined) return undefined;
      if (xbr <= xtl || ybr <= ytl) return void report.problem(where(at, el), 'a box needs xbr > xtl and ybr > ytl');
      const rotation = el.attrs.rotation === undefined ? 0 : number(el, 'rotation', at, report);
      if (rotation === undefined) return undefined;
      if (rotation % 360 === 0) return [{ geometry: { type: 'box', x: xtl, y: ytl, w: xbr - xtl, h: ybr - ytl } }];
      // CVAT turns a box about its centre, clockwise on screen: its four corners.
      const cx = (xtl + xbr) / 2, cy = (ytl + ybr) / 2, t = (rotation * Math.PI) / 180;
      const points: number[] = [];
      for (const [x, y] of [[xtl, ytl], [xbr, ytl], [xbr, ybr], [xtl, ybr]]) points.push(cx + (x - cx) * Math.cos(t) - (y - cy) * Math.sin(t), cy + (x - cx) * Math.sin(t) + (y - cy) * Math.cos(t));
      return [{ geometry: { type: 'polygon', points } }];
    }
    case 'polygon': {
      const flat = pointsOf(el, at, report);
      if (!flat) return undefined;
      const n = flat.length;
      if (n >= 4 && flat[0] === flat[n - 2] && flat[1] === flat[n - 1]) flat.length = n - 2;
      const ring = checkFlatRing(flat, where(at, el, 'points'), report);
      return ring && [{ geometry: { type: 'polygon', points: ring } }];
    }
    case 'points': {
      const flat = pointsOf(el, at, report);
      if (!flat) return undefined;
      if (!flat.length) return void report.problem(where(at, el, 'points'), 'holds no point');
      const out: Shape[] = [];
      for (let i = 0; i < flat.length; i += 2) out.push({ geometry: { type: 'point', x: flat[i], y: flat[i + 1] } });
      return out;
    }
    case 'ellipse': {
      const cx = number(el, 'cx', at, report), cy = number(el, 'cy', at, report), rx = number(el, 'rx', at, report), ry = number(el, 'ry', at, report);
      if (cx === undefined || cy === undefined || rx === undefined || ry === undefined) return undefined;
      if (rx <= 0 || ry <= 0) return void report.problem(where(at, el), 'an ellipse needs radii above zero');
      const t = (Number(el.attrs.rotation ?? 0) || 0) * (Math.PI / 180);
      const points: number[] = [];
      for (let k = 0; k < ELLIPSE_VERTICES; k++) {
        const a = (2 * Math.PI * k) / ELLIPSE_VERTICES, dx = rx * Math.cos(a), dy = ry * Math.sin(a);
        points.push(cx + dx * Math.cos(t) - dy * Math.sin(t), cy + dx * Math.sin(t) + dy * Math.cos(t));
      }
      if (!c.once.has('ellipse')) c.once.set('ellipse', where(at, el));
      return [{ geometry: { type: 'polygon', points } }];
    }
    case 'mask':
      return maskOf(el, at, c);
    case 'attribute':
      return undefined;
    default:
      if (!c.once.has(el.name)) c.once.set(el.name, where(at, el));
      return undefined;
  }
}

/**
 * CVAT's mask: `rle` run lengths over its `width` × `height` window at (`left`, `top`), row by row,
 * starting with a run of 0s. Traced along its pixel edges: the first region is the shape, any
 * others travel as its further parts.
 */
function maskOf(el: XmlElement, at: string, c: Context): Shape[] | undefined {
  const { report } = c;
  const left = number(el, 'left', at, report), top = number(el, 'top', at, report), width = number(el, 'width', at, report), height = number(el, 'height', at, report);
  if (left === undefined || top === undefined || width === undefined || height === undefined) return undefined;
  if (![left, top, width, height].every(Number.isSafeInteger) || width <= 0 || height <= 0) return void report.problem(where(at, el), 'left, top, width and height must be whole numbers (width and height above zero)');
  if (width * height > MAX_MASK_PIXELS) return void report.problem(where(at, el), `the mask spans ${width} × ${height} pixels, more than Granula traces (${MAX_MASK_PIXELS})`);
  const counts = (el.attrs.rle ?? '').split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  const bad = counts.findIndex((v) => !Number.isSafeInteger(v) || v < 0);
  if (bad >= 0) return void report.problem(where(at, el, 'rle'), `run ${bad} must be a whole number, 0 or more`);
  const total = counts.reduce((s, v) => s + v, 0);
  if (total !== width * height) return void report.problem(where(at, el, 'rle'), `the runs cover ${total} pixels, not width × height = ${width * height}`);
  const bits = new Uint8Array(width * height);
  let p = 0;
  counts.forEach((n, i) => {
    if (i % 2 === 1) bits.fill(1, p, p + n);
    p += n;
  });
  const polygons = traceMask({ left, top, width, height, bits });
  if (!polygons.length) return void report.problem(where(at, el, 'rle'), 'the mask has no pixels set');
  for (const ring of polygons.flat()) if (!checkFlatRing(ring, where(at, el, 'rle'), report)) return undefined;
  if (!c.once.has('mask')) c.once.set('mask', where(at, el));
  const [first, ...more] = polygons;
  return [{ geometry: first.length > 1 ? { type: 'polygon', points: first[0], holes: first.slice(1) } : { type: 'polygon', points: first[0] }, parts: more }];
}
