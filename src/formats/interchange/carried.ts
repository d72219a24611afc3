import type { AnnotationCarried, Geometry, QuPathCarried } from '../../model/types';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
let h1 = 0;
let h2 = 0;

function mix(v: number): void {
  f64[0] = v;
  const lo = u32[0], hi = u32[1];
  h1 = Math.imul(Math.imul(h1 ^ lo, 0x01000193) ^ hi, 0x01000193);
  h2 = Math.imul(Math.imul(h2 ^ hi, 0x85ebca6b) ^ lo, 0xc2b2ae35);
}

function mixRing(r: readonly number[], tag: number): void {
  mix(tag);
  mix(r.length);
  for (let i = 0; i < r.length; i++) mix(r[i]);
}

/**
 * A hash of a shape (its geometry and further parts) over the numbers' bits, in a fixed order that
 * does not depend on key order: what QuPath's measurements were made on. When it no longer
 * matches, the shape was edited. 16 hex digits; only stable, not cryptographic.
 */
export function shapeKey(geometry: Geometry | null, parts: readonly (readonly number[][])[] | undefined): string {
  h1 = 0x811c9dc5;
  h2 = 0x9e3779b9;
  if (!geometry) mix(-1);
  else if (geometry.type === 'polygon') {
    mixRing(geometry.points, -2);
    if (geometry.holes) for (const h of geometry.holes) mixRing(h, -3);
  } else if (geometry.type === 'box') mixRing([geometry.x, geometry.y, geometry.w, geometry.h], -4);
  else if (geometry.type === 'point') mixRing([geometry.x, geometry.y], -5);
  else mixRing(geometry.points, -8);
  if (parts)
    for (const part of parts) {
      mix(-6);
      for (const r of part) mixRing(r, -7);
    }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** Drops empty blocks: a record carries nothing rather than `{}`. */
export function compactCarried(c: AnnotationCarried): AnnotationCarried | undefined {
  const out: AnnotationCarried = {};
  if (c.coco && Object.keys(c.coco).length) out.coco = c.coco;
  if (c.parts?.length) out.parts = c.parts;
  if (c.qupath && Object.keys(c.qupath).length) out.qupath = c.qupath as QuPathCarried;
  return Object.keys(out).length ? out : undefined;
}
