/**
 * What the reference readers say about a slide, run at test time: OpenSlide (python3-openslide) for
 * the formats it reads, tifffile for OME-TIFF. Regions come back as straight RGBA bytes.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileSource } from '../../src/cli/slideFiles';
import { openSlide } from '../../src/slides/open';
import type { RgbaImage, Slide } from '../../src/slides/types';
import { python } from './makeSlides';

/** A slide file opened as the CLI opens it. */
export async function openSlideFile(path: string): Promise<Slide> {
  return openSlide([await openFileSource(path)]);
}

export interface ReferenceSlide {
  vendor: string;
  levels: { width: number; height: number; downsample: number }[];
  mpp: { x: number; y: number } | null;
  objectivePower: number | null;
  associated: Record<string, { width: number; height: number }>;
  /** The level OpenSlide's get_best_level_for_downsample picks for each downsample asked about. */
  bestLevels: number[];
}

/** [level, x, y, w, h]: x, y in level-0 pixels, w × h in pixels of the level (read_region's arguments). */
export type RegionArgs = [level: number, x: number, y: number, w: number, h: number];

const OPENSLIDE_SCRIPT = String.raw`
import sys, json, openslide
path, out, regions, downsamples = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
s = openslide.OpenSlide(path)
p = s.properties
mpp = {'x': float(p['openslide.mpp-x']), 'y': float(p['openslide.mpp-y'])} if 'openslide.mpp-x' in p else None
info = {
    'vendor': p['openslide.vendor'],
    'levels': [{'width': w, 'height': h, 'downsample': s.level_downsamples[i]} for i, (w, h) in enumerate(s.level_dimensions)],
    'mpp': mpp,
    'objectivePower': float(p['openslide.objective-power']) if 'openslide.objective-power' in p else None,
    'associated': {n: {'width': im.size[0], 'height': im.size[1]} for n, im in s.associated_images.items()},
    'bestLevels': [s.get_best_level_for_downsample(d) for d in downsamples],
}
with open(out, 'wb') as f:
    for level, x, y, w, h in regions:
        f.write(s.read_region((x, y), level, (w, h)).tobytes())
    for name in sorted(s.associated_images):
        f.write(s.associated_images[name].convert('RGBA').tobytes())
print(json.dumps(info))
`;

/** OpenSlide's view of `path`: properties, the regions asked for, and its associated images (by name). */
export function openslideReference(path: string, regions: RegionArgs[] = [], downsamples: number[] = []) {
  const out = join(mkdtempSync(join(tmpdir(), 'granula-openslide-')), 'pixels.raw');
  const info = JSON.parse(python(OPENSLIDE_SCRIPT, [path, out, JSON.stringify(regions), JSON.stringify(downsamples)])) as ReferenceSlide;
  const bytes = readFileSync(out);
  let at = 0;
  const take = (width: number, height: number): RgbaImage => {
    const data = new Uint8ClampedArray(bytes.buffer, bytes.byteOffset + at, width * height * 4);
    at += width * height * 4;
    return { width, height, data };
  };
  const regionPixels = regions.map(([, , , w, h]) => take(w, h));
  const associatedPixels = Object.fromEntries(Object.keys(info.associated).sort().map((name) => [name, take(info.associated[name].width, info.associated[name].height)]));
  return { info, regions: regionPixels, associated: associatedPixels };
}

const TIFFFILE_SCRIPT = String.raw`
import sys, json, tifffile
path, out, pixels = sys.argv[1], sys.argv[2], sys.argv[3] == 'pixels'
with tifffile.TiffFile(path) as tf:
    series = tf.series
    levels = series[0].levels
    with open(out, 'wb') as f:
        for level in levels if pixels else []:
            f.write(level.asarray().tobytes())
    page = tf.pages[0]
    tags = {str(t.code): t.value for t in page.tags.values() if t.code in (282, 283, 296)}
    print(json.dumps({
        'levels': [{'width': l.shape[1], 'height': l.shape[0], 'samples': l.shape[2] if len(l.shape) > 2 else 1} for l in levels],
        'images': [s.name for s in series],
        'ome': tf.ome_metadata,
        'resolution': {'x': list(tags['282']) if '282' in tags else None, 'y': list(tags['283']) if '283' in tags else None, 'unit': int(tags.get('296', 2))},
    }))
`;

/**
 * tifffile's view of `path`: the first series' levels (and, unless `pixels` is false, their pixels
 * as RGBA), the series' names, the OME-XML and IFD 0's resolution tags.
 */
export function tifffileReference(path: string, { pixels = true } = {}) {
  const out = join(mkdtempSync(join(tmpdir(), 'granula-tifffile-')), 'pixels.raw');
  const info = JSON.parse(python(TIFFFILE_SCRIPT, [path, out, pixels ? 'pixels' : 'tags'])) as {
    levels: { width: number; height: number; samples: number }[];
    images: string[];
    ome: string | null;
    resolution: { x: [number, number] | null; y: [number, number] | null; unit: number };
  };
  const bytes = readFileSync(out);
  let at = 0;
  const levels = (pixels ? info.levels : []).map(({ width, height, samples }) => {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++, at += samples) {
      data.set(bytes.subarray(at, at + 3), i * 4);
      data[i * 4 + 3] = samples === 4 ? bytes[at + 3] : 255;
    }
    return { width, height, data };
  });
  return { ...info, pixels: levels };
}

/** Mean absolute difference per channel (RGBA) between two images of the same size. */
export function meanAbsDiff(a: RgbaImage, b: RgbaImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

/** A w×h window of `image` from (x, y), as its own image. */
export function crop(image: RgbaImage, x: number, y: number, w: number, h: number): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let row = 0; row < h; row++) data.set(image.data.subarray(((y + row) * image.width + x) * 4, ((y + row) * image.width + x + w) * 4), row * w * 4);
  return { width: w, height: h, data };
}

/** A PNG's pixels as RGBA, decoded by PIL (python3-pil), a decoder that is not ours. */
export function pngPixels(path: string): RgbaImage {
  const out = join(mkdtempSync(join(tmpdir(), 'granula-png-')), 'pixels.raw');
  const [width, height] = python(
    String.raw`
import sys
from PIL import Image
im = Image.open(sys.argv[1])
assert im.mode == 'RGBA', im.mode
open(sys.argv[2], 'wb').write(im.tobytes())
print(im.size[0], im.size[1])
`,
    [path, out],
  )
    .trim()
    .split(' ')
    .map(Number);
  const bytes = readFileSync(out);
  return { width, height, data: new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length) };
}
