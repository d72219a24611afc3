import { sliceCount } from '../interchange/slices';
import { nowIso } from '../../model/ids';
import { annotationSource, type SourcedProject } from '../../model/annotationSource';
import { currentSchema } from '../../model/projectData';
import type { Annotation, ImageRecord, LabelClass } from '../../model/types';
import { allClasses } from '../interchange/classes';
import { annotationExtension, projectExtension } from '../interchange/extension';
import { fileStem, isUuid, safeFileName, uniqueNames } from '../interchange/ids';
import { Utf8Sink, type WriteProgress } from '../shared/stream';
import { carriedBeyondFeature, featureProperties, geoClassification, geoGeometry, objectTypeOf, plainProperties, staleWarning, writesParts, writesUnclassified, type GeoJsonWriteOptions } from './write';

const CHUNK = 1 << 16;

export interface GeoJsonStreamFile {
  name: string;
  /** The file in UTF-8 chunks: joined, exactly `JSON.stringify(collection)` and a newline (as writeAny writes it). */
  chunks(): Generator<Uint8Array>;
}

/** A number as JSON.stringify writes it (see Utf8Sink.num), as text. */
export function num(v: number): string {
  const sink = new Utf8Sink();
  sink.num(v);
  return new TextDecoder().decode(sink.take());
}

const COMMA = 44, OPEN = 91, CLOSE = 93;
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const hex = new Uint8Array(32);

/**
 * interchange/ids.ts's uuidFor(id), in quotes, written as bytes: its four FNV-1a hashes in one pass
 * over the id (a million features: the string work of the general one was a fifth of the time).
 */
function writeUuidFor(out: Utf8Sink, id: string): void {
  if (id.length === 36 && isUuid(id)) {
    out.text(JSON.stringify(id.toLowerCase()));
    return;
  }
  let h1 = (0x811c9dc5 ^ 1) >>> 0, h2 = (0x811c9dc5 ^ 2) >>> 0, h3 = (0x811c9dc5 ^ 3) >>> 0, h4 = (0x811c9dc5 ^ 4) >>> 0;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193) >>> 0;
    h3 = Math.imul(h3 ^ c, 0x01000193) >>> 0;
    h4 = Math.imul(h4 ^ c, 0x01000193) >>> 0;
  }
  const hs = [h1, h2, h3, h4];
  for (let k = 0; k < 4; k++) for (let j = 0; j < 8; j++) hex[8 * k + j] = HEX[(hs[k] >>> (28 - 4 * j)) & 15];
  // 8-4-4-4-12 with the version nibble 8 and the variant bits 10 (RFC 9562), as uuidFor does.
  const variant = HEX[(((hex[16] <= 57 ? hex[16] - 48 : hex[16] - 87) & 3) | 8)];
  out.reserve(40);
  out.byte(34);
  for (let j = 0; j < 8; j++) out.byte(hex[j]);
  out.byte(45);
  for (let j = 8; j < 12; j++) out.byte(hex[j]);
  out.byte(45);
  out.byte(56);
  for (let j = 13; j < 16; j++) out.byte(hex[j]);
  out.byte(45);
  out.byte(variant);
  for (let j = 17; j < 20; j++) out.byte(hex[j]);
  out.byte(45);
  for (let j = 20; j < 32; j++) out.byte(hex[j]);
  out.byte(34);
}

/** A flat ring as GeoJSON positions, closed (first position repeated), as write.ts's closedRing. */
function writeRing(out: Utf8Sink, points: readonly number[]): void {
  out.reserve(4 + 20 * points.length);
  out.byte(OPEN);
  if (points.length >= 2) {
    for (let i = 0; i + 1 < points.length; i += 2) {
      out.byte(OPEN);
      out.num(points[i]);
      out.byte(COMMA);
      out.num(points[i + 1]);
      out.byte(CLOSE);
      out.byte(COMMA);
    }
    out.byte(OPEN);
    out.num(points[0]);
    out.byte(COMMA);
    out.num(points[1]);
    out.byte(CLOSE);
  }
  out.byte(CLOSE);
}

function writeRectangle(out: Utf8Sink, x: number, y: number, w: number, h: number): void {
  out.byte(OPEN);
  writeRing(out, [x, y, x + w, y, x + w, y + h, x, y + h]);
  out.byte(CLOSE);
}

/** write.ts's geoGeometry, written straight as text. */
function writeGeometry(out: Utf8Sink, a: Annotation, image: ImageRecord): void {
  const g = a.geometry;
  if (!g) {
    out.text('{"type":"Polygon","coordinates":');
    writeRectangle(out, 0, 0, image.width, image.height);
    out.byte(125);
    return;
  }
  switch (g.type) {
    case 'polygon':
      out.text('{"type":"Polygon","coordinates":[');
      writeRing(out, g.points);
      for (const h of g.holes ?? []) {
        out.byte(COMMA);
        writeRing(out, h);
      }
      out.text(']}');
      return;
    case 'box':
      out.text('{"type":"Polygon","coordinates":');
      writeRectangle(out, g.x, g.y, g.w, g.h);
      out.byte(125);
      return;
    case 'point':
      out.text('{"type":"Point","coordinates":[');
      out.num(g.x);
      out.byte(COMMA);
      out.num(g.y);
      out.text(']}');
      return;
    case 'line':
      out.text('{"type":"LineString","coordinates":[[');
      out.num(g.points[0]);
      out.byte(COMMA);
      out.num(g.points[1]);
      out.text('],[');
      out.num(g.points[2]);
      out.byte(COMMA);
      out.num(g.points[3]);
      out.text(']]}');
      return;
  }
}

/**
 * writeGeoJson's files (one FeatureCollection per image), as text written feature by feature: the
 * same bytes as `JSON.stringify` of writeGeoJson's collections (in UTF-8), without holding a
 * collection or its text whole. Features are written as bytes directly (see Utf8Sink: building each
 * feature's objects and strings first more than doubles the time for a million cell outlines).
 * `warnings` gains the per-annotation ones as the chunks are read; `progress.done` counts the
 * annotations read so far (of the annotations' count), for a caller that shows how far it is.
 * Annotations are read one image at a time from `data.annotations` (a source or an array): a file's
 * features are built as they are written, never all at once.
 */
export function geoJsonFileChunks(data: SourcedProject, opts: GeoJsonWriteOptions = {}, chunkBytes = CHUNK, progress?: WriteProgress): { files: GeoJsonStreamFile[]; warnings: string[] } {
  const exportedAt = opts.exportedAt ?? nowIso();
  const schema = currentSchema(data);
  // The project block carries no annotations: leave them out of the copy it is made from.
  const project = projectExtension({ ...data, annotations: [] }, exportedAt);
  const classes = new Map(allClasses(data).map((c) => [c.id, c]));
  // What a feature says of its type and class is the same for all such features: written once each.
  const classText = new Map<string, string>();
  const propsOf = (a: Annotation, c: LabelClass) => {
    const objectType = objectTypeOf(a, c);
    const classified = !writesUnclassified(a);
    const key = `${c.id}\u0000${objectType}\u0000${classified}`;
    let t = classText.get(key);
    if (t === undefined) {
      t = `"properties":{"objectType":${JSON.stringify(objectType)},${classified ? `"classification":${JSON.stringify(geoClassification(c))},` : ''}"granula":`;
      classText.set(key, t);
    }
    return t;
  };
  const images = [...data.images].sort((a, b) => a.order - b.order);
  const names = uniqueNames(images.map((im) => safeFileName(fileStem(im.name) || im.id)));
  const source = annotationSource(data.annotations);
  // One pass for what is said before any file: shapes on slices, and annotations of no image here.
  const slices = sliceCount();
  const imageIds = new Set(images.map((im) => im.id));
  const orphans: string[] = [];
  for (const a of source.fields()) {
    slices.see(a);
    if (!imageIds.has(a.imageId)) orphans.push(`annotation ${a.id} not written: its image "${a.imageId}" is not in the project`);
  }
  const warnings: string[] = [...slices.warnings(data.images, 'GeoJSON'), ...orphans];
  const files = images.map((image, i): GeoJsonStreamFile => ({
    name: `${names[i]}.geojson`,
    *chunks() {
      const { projectId: _p, ...imageRecord } = image;
      const granula = { ...project, imageStatus: project.imageStatus.filter((s) => s.imageId === image.id), image: imageRecord };
      const out = new Utf8Sink();
      out.text(`{"type":"FeatureCollection","granula":${JSON.stringify(granula)},"features":[`);
      let n = 0;
      const stale = { count: 0 };
      for (const a of source.forImage(image.id)) {
        const c = classes.get(a.classId);
        if (!c) {
          warnings.push(`annotation ${a.id} not written: its class "${a.classId}" is not in schema ${schema.id}`);
          continue;
        }
        if (n++) out.byte(COMMA);
        out.text('{"type":"Feature","id":');
        writeUuidFor(out, a.id);
        out.text(',"geometry":');
        // A shape in several parts is rare: written as the whole writer writes it.
        if (writesParts(a)) out.text(JSON.stringify(geoGeometry(a, image)));
        else writeGeometry(out, a, image);
        out.byte(COMMA);
        if (plainProperties(a)) {
          out.text(propsOf(a, c));
          out.text(JSON.stringify(annotationExtension(a, { classId: true, holes: false, attributes: a.attributes, carried: carriedBeyondFeature(a) })));
          out.text('}}');
        } else {
          // QuPath's own fields vary per object: the properties as the whole writer makes them.
          out.text(`"properties":${JSON.stringify(featureProperties(a, c, stale))}}`);
        }
        if (progress) progress.done++;
        if (out.n >= chunkBytes) yield out.take();
      }
      out.text(']}\n');
      if (stale.count) warnings.push(staleWarning(`${names[i]}.geojson`, stale.count));
      yield out.take();
    },
  }));
  return { files, warnings };
}
