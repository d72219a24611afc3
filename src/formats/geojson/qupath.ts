import type { ObjectKind } from '../../model/types';
import { isFiniteNumber, isRecord, subPath } from '../interchange/checks';
import { packedRgbToHex, rgbToHex } from '../interchange/colors';
import type { Report } from '../interchange/result';

/**
 * What QuPath says about an object, read from any of its export versions: 0.4+ writes
 * `objectType`, `classification: {name | names, color}`, `name`, `color`, `isLocked`,
 * `measurements: {name: value}` and (0.5) `metadata`; older versions wrote `object_type`, a plain
 * class-name string, `colorRGB` as a packed integer, a derived class as `name` + `parentClass`,
 * measurements as a list of `{name, value}`, or the classification beside `properties`.
 */
export interface QuPathObject {
  kind: ObjectKind;
  /** The object type as QuPath 0.4+ names it: `annotation`, `detection`, `cell`, `tile`, `tmaCore`… */
  objectType: string;
  /** `null` for an unclassified object. A derived class's names are joined with ": ", as QuPath shows them. */
  className: string | null;
  /** The class's colour. */
  color?: string;
  name?: string;
  /** The object's own colour. */
  objectColor?: string;
  locked?: true;
  measurements?: Record<string, number>;
  metadata?: Record<string, string>;
}

const CELL_TYPES = new Set(['detection', 'cell', 'tile']);
/** QuPath 0.2 had no object type: the feature's `id` was the Java class name. */
const LEGACY_IDS: Record<string, string> = {
  PathAnnotationObject: 'annotation',
  PathDetectionObject: 'detection',
  PathCellObject: 'cell',
  PathTileObject: 'tile',
  TMACoreObject: 'tmaCore',
  PathRootObject: 'root',
};
/** More than any QuPath object has (a cell has about 50): keeps a hostile file bounded. */
const MAX_MEASUREMENTS = 10_000;
const MAX_CLASS_DEPTH = 32;

function colorOf(c: Record<string, unknown>, path: string, report: Report): string | undefined {
  const rgb = c.color ?? c.colour;
  if (Array.isArray(rgb) && rgb.length >= 3 && rgb.slice(0, 3).every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255)) {
    return rgbToHex(rgb[0] as number, rgb[1] as number, rgb[2] as number);
  }
  if (Number.isInteger(c.colorRGB)) return packedRgbToHex(c.colorRGB as number);
  if (rgb !== undefined) report.warn(`${path}.color`, 'not read: a colour is [r, g, b] with whole numbers 0–255');
  return undefined;
}

/** An object's own `color`: [r, g, b], or a packed integer as QuPath also reads. */
function objectColorOf(raw: unknown, path: string, report: Report): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Number.isSafeInteger(raw)) return packedRgbToHex(raw as number);
  if (Array.isArray(raw) && raw.length === 3 && raw.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255)) return rgbToHex(raw[0] as number, raw[1] as number, raw[2] as number);
  report.warn(path, 'not kept: an object colour is [r, g, b] with whole numbers 0–255');
  return undefined;
}

/** A derived class written before 0.4: the last name, with its parents in `parentClass`. */
function legacyNames(raw: Record<string, unknown>, path: string, report: Report): string[] | undefined {
  const names: string[] = [];
  let at: unknown = raw;
  for (let depth = 0; isRecord(at); depth++) {
    if (depth >= MAX_CLASS_DEPTH) return void report.problem(path, `parentClass is nested more than ${MAX_CLASS_DEPTH} deep`);
    if (typeof at.name !== 'string') return void report.problem(`${path}${'.parentClass'.repeat(depth)}.name`, 'must be text');
    names.unshift(at.name);
    at = at.parentClass;
  }
  return names;
}

function classNameOf(raw: Record<string, unknown>, path: string, report: Report): string | undefined {
  // QuPath 0.4+ writes a derived class as a list of names ("Tumor", "Positive").
  if (raw.name === undefined && raw.names !== undefined) {
    if (Array.isArray(raw.names) && raw.names.length > 0 && raw.names.every((n) => typeof n === 'string')) return raw.names.join(': ');
    return void report.problem(`${path}.names`, 'must be a list of class names');
  }
  if (isRecord(raw.parentClass)) return legacyNames(raw, path, report)?.join(': ');
  if (typeof raw.name === 'string') return raw.name;
  return void report.problem(`${path}.name`, 'must be text');
}

function measurementsOf(raw: unknown, path: string, report: Report): Record<string, number> | undefined {
  const entries: [string, unknown][] = [];
  if (Array.isArray(raw)) {
    // Before 0.4: [{name, value}, …].
    raw.forEach((m, i) => (isRecord(m) && typeof m.name === 'string' ? entries.push([m.name, m.value]) : report.warn(`${path}[${i}]`, 'not kept: a measurement is {"name", "value"}')));
  } else if (isRecord(raw)) entries.push(...Object.entries(raw));
  else {
    if (raw !== undefined && raw !== null) report.warn(path, 'not kept: measurements are {name: value}');
    return undefined;
  }
  if (entries.length > MAX_MEASUREMENTS) return void report.problem(path, `has more than ${MAX_MEASUREMENTS} measurements`);
  const kept: [string, number][] = [];
  let skipped: string | undefined;
  for (const [name, value] of entries) {
    if (isFiniteNumber(value) && name.length <= 500) kept.push([name, value]);
    else skipped ??= name;
  }
  if (skipped !== undefined) report.warn(path, `not kept: "${skipped.slice(0, 100)}"${entries.length - kept.length > 1 ? ` and ${entries.length - kept.length - 1} more` : ''} (a measurement is a finite number)`);
  // fromEntries defines own properties, so a measurement named "__proto__" stays data.
  return kept.length ? Object.fromEntries(kept) : undefined;
}

function metadataOf(raw: unknown, path: string, report: Report): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) return void report.warn(path, 'not kept: metadata is {key: text}');
  const kept = Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0].length <= 500 && e[1].length <= 10_000);
  if (kept.length < Object.keys(raw).length) report.warn(path, 'not kept in part: a metadata value is text');
  return kept.length ? Object.fromEntries(kept) : undefined;
}

export function readQuPathObject(feature: Record<string, unknown>, props: Record<string, unknown>, at: string, report: Report): QuPathObject | undefined {
  const given = props.objectType ?? props.object_type ?? props.type ?? feature.objectType ?? (typeof feature.id === 'string' && Object.hasOwn(LEGACY_IDS, feature.id) ? feature.id : undefined);
  const typeName = typeof given === 'string' ? (Object.hasOwn(LEGACY_IDS, given) ? LEGACY_IDS[given] : given === 'tma_core' ? 'tmaCore' : given) : 'annotation';
  const objectType = typeName.slice(0, 50);
  const kind: ObjectKind = CELL_TYPES.has(objectType) ? 'cell' : 'region';
  const inProps = props.classification !== undefined;
  const raw = inProps ? props.classification : feature.classification;
  const path = subPath(at, inProps ? 'properties.classification' : 'classification');
  const name = typeof props.name === 'string' && props.name.trim() ? props.name : undefined;
  const objectColor = objectColorOf(props.color, subPath(at, 'properties.color'), report);
  const measurements = measurementsOf(props.measurements, subPath(at, 'properties.measurements'), report);
  const metadata = metadataOf(props.metadata, subPath(at, 'properties.metadata'), report);
  const out: QuPathObject = {
    kind,
    objectType,
    className: null,
    ...(name ? { name } : {}),
    ...(objectColor ? { objectColor } : {}),
    ...(props.isLocked === true ? { locked: true as const } : {}),
    ...(measurements ? { measurements } : {}),
    ...(metadata ? { metadata } : {}),
  };
  if (raw === undefined || raw === null) return out;
  if (typeof raw === 'string') return raw.trim() ? { ...out, className: raw } : out;
  if (!isRecord(raw)) return void report.problem(path, 'must be a class name or {"name", "color"}');
  // An empty object is QuPath's "no class" written out.
  if (Object.keys(raw).length === 0) return out;
  const className = classNameOf(raw, path, report);
  if (className === undefined) return undefined;
  const color = colorOf(raw, path, report);
  return { ...out, className: className.trim() ? className : null, ...(color ? { color } : {}) };
}
