import type { ObjectKind } from '../../model/types';
import { isRecord, subPath } from '../interchange/checks';
import { packedRgbToHex, rgbToHex } from '../interchange/colors';
import type { Report } from '../interchange/result';

/**
 * What QuPath says about an object, read from any of its export versions: 0.4+ writes
 * `objectType` and `classification: {name, color}`; older versions wrote `object_type`, a plain
 * class-name string, `colorRGB` as a packed integer, or the classification beside `properties`.
 */
export interface QuPathObject {
  kind: ObjectKind;
  /** `null` for an unclassified object. */
  className: string | null;
  color?: string;
  name?: string;
}

const CELL_TYPES = new Set(['detection', 'cell', 'tile']);
/** QuPath 0.2 had no object type: the feature's `id` was the Java class name. */
const LEGACY_IDS: Record<string, string> = { PathAnnotationObject: 'annotation', PathDetectionObject: 'detection', PathCellObject: 'cell', PathTileObject: 'tile' };

function readColor(c: Record<string, unknown>, path: string, report: Report): string | undefined {
  const rgb = c.color ?? c.colour;
  if (Array.isArray(rgb) && rgb.length >= 3 && rgb.slice(0, 3).every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255)) {
    return rgbToHex(rgb[0] as number, rgb[1] as number, rgb[2] as number);
  }
  if (Number.isInteger(c.colorRGB)) return packedRgbToHex(c.colorRGB as number);
  if (rgb !== undefined) report.warn(`${path}.color`, 'not read: a colour is [r, g, b] with whole numbers 0–255');
  return undefined;
}

export function readQuPathObject(feature: Record<string, unknown>, props: Record<string, unknown>, at: string, report: Report): QuPathObject | undefined {
  const type = props.objectType ?? props.object_type ?? feature.objectType ?? (typeof feature.id === 'string' && Object.hasOwn(LEGACY_IDS, feature.id) ? LEGACY_IDS[feature.id] : undefined);
  const kind: ObjectKind = typeof type === 'string' && CELL_TYPES.has(type) ? 'cell' : 'region';
  const inProps = props.classification !== undefined;
  const raw = inProps ? props.classification : feature.classification;
  const path = subPath(at, inProps ? 'properties.classification' : 'classification');
  const name = typeof props.name === 'string' && props.name.trim() ? props.name : undefined;
  const out: QuPathObject = { kind, className: null, ...(name ? { name } : {}) };
  if (raw === undefined || raw === null) return out;
  if (typeof raw === 'string') return raw.trim() ? { ...out, className: raw } : out;
  if (!isRecord(raw)) return void report.problem(path, 'must be a class name or {"name", "color"}');
  // QuPath 0.5 can write a derived class as a list of names ("Tumor: Positive").
  const className = typeof raw.name === 'string' ? raw.name : Array.isArray(raw.names) && raw.names.every((n) => typeof n === 'string') ? raw.names.join(': ') : undefined;
  if (className === undefined) return void report.problem(`${path}.name`, 'must be text');
  const color = readColor(raw, path, report);
  return { ...out, className: className.trim() ? className : null, ...(color ? { color } : {}) };
}

/** QuPath's measurements (a {name: value} map, or a list of {name, value} before 0.4) are derived: not imported. */
export function hasMeasurements(props: Record<string, unknown>): boolean {
  const m = props.measurements;
  return (Array.isArray(m) && m.length > 0) || (isRecord(m) && Object.keys(m).length > 0);
}
