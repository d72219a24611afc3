/** `granula info SLIDE` and `granula region SLIDE …`: the app's slide readers, run on files on disk. */
import { writeFile } from 'node:fs/promises';
import { openSlide } from '../slides/open';
import { readRegion } from '../slides/region';
import type { Slide, SlideInfo } from '../slides/types';
import type { CliIo } from './io';
import { encodePng } from './png';
import { nodeTileDecoders } from './slideDecoders';
import { openFileSource, slideFilePaths, type FileSource } from './slideFiles';

const INFO_USAGE = 'usage: granula info SLIDE   (SLIDE: a slide file, or a folder of DICOM WSI files)';
const REGION_USAGE = 'usage: granula region SLIDE --x X --y Y --w W --h H [--level L] -o OUT.png\n  X, Y: the top-left in level-0 pixels; W, H: the size in pixels of level L (default 0)';

/** Opens SLIDE, runs `use`, closes the files; a file that cannot be read is one `granula: SLIDE: message` line and exit 1. */
async function withSlide(path: string, io: CliIo, use: (slide: Slide) => Promise<void>): Promise<number> {
  const sources: FileSource[] = [];
  try {
    for (const file of await slideFilePaths(path)) sources.push(await openFileSource(file));
    await use(await openSlide(sources));
    return 0;
  } catch (e) {
    const message = (e as NodeJS.ErrnoException).code ? `cannot be read: ${(e as NodeJS.ErrnoException).code}` : (e as Error).message;
    // The readers' messages name the file already ("slide.svs: IFD 3 …").
    io.err(`granula: ${message.startsWith(sources[0]?.name ?? '\0') ? message : `${path}: ${message}`}`);
    return 1;
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/** The contract JSON of `granula info` (DESIGN.md): mpp a number when x and y agree, null when unknown. */
export function infoJson(info: SlideInfo) {
  const mpp = info.mpp ? (info.mpp.x === info.mpp.y ? info.mpp.x : info.mpp) : null;
  return {
    format: info.format,
    width: info.width,
    height: info.height,
    levels: info.levels.map(({ width, height, downsample }) => ({ width, height, downsample })),
    mpp,
    compression: info.compression,
    associated: info.associated,
    objective_power: info.objectivePower ?? null,
  };
}

export async function runInfo(args: string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('-')) {
    io.err(`granula info: ${args.length ? 'expected one SLIDE' : 'missing SLIDE'}\n${INFO_USAGE}`);
    return 2;
  }
  return withSlide(args[0], io, async (slide) => io.out(JSON.stringify(infoJson(slide.info), null, 2)));
}

interface RegionArgs {
  slide: string;
  x: number;
  y: number;
  w: number;
  h: number;
  level: number;
  output: string;
}

function parseRegionArgs(args: string[]): RegionArgs | string {
  const positional: string[] = [];
  const numbers: Record<string, number> = { level: 0 };
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (!flag.startsWith('-')) positional.push(a);
    else if (flag === '-o' || flag === '--out' || flag === '--output') output = inline ?? args[++i];
    else if (['--x', '--y', '--w', '--h', '--level'].includes(flag)) {
      const text = inline ?? args[++i] ?? '';
      const value = Number(text);
      if (text.trim() === '' || !Number.isInteger(value)) return `${flag} must be a whole number (not "${text}")`;
      numbers[flag.slice(2)] = value;
    } else return `unknown option "${a}"`;
  }
  if (positional.length !== 1) return positional.length ? `expected one SLIDE, got ${positional.length}` : 'missing SLIDE';
  const missing = ['x', 'y', 'w', 'h'].filter((k) => numbers[k] === undefined);
  if (missing.length) return `missing ${missing.map((k) => `--${k}`).join(', ')}`;
  if (numbers.w < 1 || numbers.h < 1) return '--w and --h must be at least 1';
  if (numbers.w * numbers.h > 2 ** 28) return `a ${numbers.w}×${numbers.h} region is too large for one PNG; read it in parts`;
  if (numbers.level < 0) return '--level must be 0 or more';
  if (!output) return 'missing -o OUT.png';
  return { slide: positional[0], x: numbers.x, y: numbers.y, w: numbers.w, h: numbers.h, level: numbers.level, output };
}

export async function runRegion(args: string[], io: CliIo): Promise<number> {
  const parsed = parseRegionArgs(args);
  if (typeof parsed === 'string') {
    io.err(`granula region: ${parsed}\n${REGION_USAGE}`);
    return 2;
  }
  const { slide: path, x, y, w, h, level, output } = parsed;
  return withSlide(path, io, async (slide) => {
    const levels = slide.info.levels.length;
    if (level >= levels) throw new Error(`--level ${level} does not exist: the slide has ${levels} levels (0–${levels - 1})`);
    await writeFile(output, encodePng(await readRegion(slide, nodeTileDecoders, level, x, y, w, h)));
  });
}
