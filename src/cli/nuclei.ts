import { readFile, writeFile } from 'node:fs/promises';
import { findNucleiInImage } from '../assist/image';
import type { StainChoice } from '../assist/stain';
import type { ImageRect } from '../assist/types';
import { decodeImageFile } from './imageFile';
import type { CliIo } from './io';

const USAGE = 'usage: granula nuclei IMAGE.png|.jpg|.tif --mpp M [--stain auto|he|hdab] [--region x,y,w,h] -o OUT.geojson';

interface NucleiArgs {
  image: string;
  mpp: number;
  stain: StainChoice;
  region?: ImageRect;
  out: string;
}

function parseArgs(args: string[]): NucleiArgs | string {
  let image: string | undefined, out: string | undefined, mpp: number | undefined, region: ImageRect | undefined;
  let stain: StainChoice = 'auto';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => args[++i];
    if (arg === '--mpp') {
      const v = value();
      mpp = Number(v);
      if (!(mpp > 0 && Number.isFinite(mpp))) return `--mpp needs microns per pixel, a positive number, got ${v === undefined ? 'nothing' : `"${v}"`}`;
    } else if (arg === '--stain') {
      const v = value();
      if (v !== 'auto' && v !== 'he' && v !== 'hdab') return `--stain must be auto, he or hdab, got ${v === undefined ? 'nothing' : `"${v}"`}`;
      stain = v;
    } else if (arg === '--region') {
      const v = value();
      const n = (v ?? '').split(',').map(Number);
      if (n.length !== 4 || n.some((k) => !Number.isInteger(k)) || n[2] <= 0 || n[3] <= 0) return `--region needs x,y,w,h in whole pixels with w, h > 0, got ${v === undefined ? 'nothing' : `"${v}"`}`;
      region = { x: n[0], y: n[1], w: n[2], h: n[3] };
    } else if (arg === '-o' || arg === '--out') {
      out = value();
    } else if (arg.startsWith('-')) {
      return `unknown option ${arg}`;
    } else if (image === undefined) {
      image = arg;
    } else {
      return `one image at a time, got "${image}" and "${arg}"`;
    }
  }
  if (!image) return 'no image file';
  if (mpp === undefined) return '--mpp is required: nucleus sizes are in µm, and the image does not say how large its pixels are';
  if (!out) return 'no output file (-o OUT.geojson)';
  return { image, mpp, stain, region, out };
}

/** `granula nuclei`: one GeoJSON Polygon Feature per nucleus found, in image pixels. */
export async function runNuclei(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`granula nuclei: ${parsed}\n${USAGE}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(parsed.image);
  } catch (e) {
    io.err(`${parsed.image}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 1;
  }
  try {
    const image = decodeImageFile(bytes, parsed.image);
    const r = parsed.region;
    if (r && (r.x < 0 || r.y < 0 || r.x + r.w > image.width || r.y + r.h > image.height)) {
      io.err(`granula nuclei: --region ${r.x},${r.y},${r.w},${r.h} reaches outside the ${image.width} × ${image.height} image`);
      return 2;
    }
    const found = findNucleiInImage(image, { mpp: parsed.mpp, stain: parsed.stain }, r);
    const features = found.map((g) => {
      const ring: number[][] = [];
      for (let k = 0; k < g.points.length; k += 2) ring.push([g.points[k], g.points[k + 1]]);
      ring.push(ring[0]);
      return { type: 'Feature', properties: { kind: 'nucleus' }, geometry: { type: 'Polygon', coordinates: [ring] } };
    });
    await writeFile(parsed.out, JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
    io.out(`${parsed.out}: ${features.length} nuclei`);
    return 0;
  } catch (e) {
    io.err((e as Error).message);
    return 1;
  }
}
