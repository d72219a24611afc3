/**
 * Deterministic randomness keyed by integers. Every value on the synthetic slide is a function of
 * (seed, position), never of call order, so any tile or rect yields the same pixels and cells.
 */

/** A well-mixed 32-bit hash of a seed and up to three integers (negative ones too). */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  let h = seed | 0;
  h = Math.imul(h ^ (a | 0), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ (b | 0), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ (c | 0), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** hash32 scaled to [0, 1). */
export function hashUnit(seed: number, a: number, b = 0, c = 0): number {
  return hash32(seed, a, b, c) / 4294967296;
}

/**
 * A small sequential generator (mulberry32) for drawing several values from one hashed seed. Its
 * whole state is one integer, so a caller can note it and resume the sequence later.
 */
export class Rng {
  constructor(public state: number) {
    this.state = state >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export function makeRng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/**
 * Value noise in [0, 1): random values on the integer lattice, smoothly interpolated. `period`
 * wraps the lattice so a texture built from it tiles seamlessly.
 */
export function valueNoise(seed: number, x: number, y: number, period = 0): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = smooth(x - x0);
  const fy = smooth(y - y0);
  let ax = x0, bx = x0 + 1, ay = y0, by = y0 + 1;
  if (period > 0) {
    ax = ((ax % period) + period) % period;
    bx = ((bx % period) + period) % period;
    ay = ((ay % period) + period) % period;
    by = ((by % period) + period) % period;
  }
  const v00 = hashUnit(seed, ax, ay);
  const v10 = hashUnit(seed, bx, ay);
  const v01 = hashUnit(seed, ax, by);
  const v11 = hashUnit(seed, bx, by);
  const top = v00 + (v10 - v00) * fx;
  const bottom = v01 + (v11 - v01) * fx;
  return top + (bottom - top) * fy;
}

/** Fractal sum of value noise octaves, normalised back to [0, 1). */
export function fbm(seed: number, x: number, y: number, octaves: number): number {
  let sum = 0;
  let amplitude = 1;
  let total = 0;
  let f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amplitude * valueNoise(seed + o * 1013, x * f, y * f);
    total += amplitude;
    amplitude *= 0.5;
    f *= 2;
  }
  return sum / total;
}
