/**
 * DICOM WSI series made at test time: libvips pyramids (makeSlides.ts) turned into DICOM by
 * Orthanc's dicomizer (Debian orthanc-wsi, which reads the TIFF through OpenSlide), then rewritten by
 * pydicom into the layouts other scanners write (dicomWsiFixtures.py), with what pydicom reads from
 * them. Needs Debian's orthanc-wsi, libopenslide and python3-pydicom.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTiff, PYTHON } from './makeSlides';

const SCRIPT = join(import.meta.dirname, 'dicomWsiFixtures.py');

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** Where the system's OpenSlide library is, for the dicomizer's --openslide. */
function openSlideLibrary(): string {
  const line = run('ldconfig', ['-p']).split('\n').find((l) => /libopenslide\.so/.test(l));
  const path = line?.split('=>')[1]?.trim();
  if (!path) throw new Error('libopenslide is not installed (Debian: libopenslide0)');
  return path;
}

function dicomize(tiff: string, folder: string, options: string[] = []): string {
  mkdirSync(folder);
  run('OrthancWSIDicomizer', [`--openslide=${openSlideLibrary()}`, `--folder=${folder}`, ...options, tiff]);
  return folder;
}

export interface BrokenFileFacts {
  file: string;
  size: number;
  frames: number;
  firstCutFragment: number;
}

export interface DicomWsiFixtures {
  /** Source pyramids: `large` (3000×2200, JPEG), `small` (1000×800, JPEG), `rgb` (1000×800, RGB JPEG). */
  tiffs: { large: string; small: string; rgb: string };
  /** Series folders, each a slide (or a broken one). */
  folders: {
    /** The dicomizer's own output from `large`: JPEG frames, per-frame positions, no Image Type. */
    jpeg: string;
    /** From `small`, uncompressed, implicit VR, levels cut into concatenations of about 1 MB. */
    native: string;
    /** From `small`, JPEG 2000. */
    j2k: string;
    /** `jpeg` as TILED_FULL with Image Type; level 1 with an Extended Offset Table, level 2 in two fragments a frame and an empty Basic Offset Table, level 3 in two fragments a frame with one; an objective lens power; plus LABEL and THUMBNAIL (copies of the smallest level) and OVERVIEW (of level 3). */
    full: string;
    /** `jpeg` with level 1's first and sixth frames removed. */
    sparse: string;
    /** From `rgb`, RGB-coded JPEG frames without an Adobe marker or R, G, B component ids. */
    rgb: string;
    truncated: string;
    truncatedNoOffsets: string;
    rle: string;
    cutHeader: string;
  };
  facts: { truncated: BrokenFileFacts; 'truncated-no-offsets': BrokenFileFacts; rle: { file: string }; 'cut-header': { file: string; size: number; element: string } };
}

export function makeDicomWsi(dir: string): DicomWsiFixtures {
  const large = makeTiff(dir, { name: 'large.tif', width: 3000, height: 2200 });
  const small = makeTiff(dir, { name: 'small.tif', width: 1000, height: 800 });
  const rgb = makeTiff(dir, { name: 'rgb.tif', width: 1000, height: 800, rgbJpeg: true });
  const jpeg = dicomize(large, join(dir, 'jpeg'));
  const native = dicomize(small, join(dir, 'native'), ['--compression=none', '--reencode=1', '--max-size=1']);
  const j2k = dicomize(small, join(dir, 'j2k'), ['--compression=jpeg2000', '--reencode=1']);
  const rgbSource = dicomize(rgb, join(dir, 'rgb-with-marker'));
  const variants = join(dir, 'variants');
  mkdirSync(variants);
  const facts = JSON.parse(run(PYTHON, [SCRIPT, 'variants', jpeg, rgbSource, variants])) as DicomWsiFixtures['facts'];
  const v = (name: string) => join(variants, name);
  return {
    tiffs: { large, small, rgb },
    folders: { jpeg, native, j2k, full: v('full'), sparse: v('sparse'), rgb: v('rgb'), truncated: v('truncated'), truncatedNoOffsets: v('truncated-no-offsets'), rle: v('rle'), cutHeader: v('cut-header') },
    facts,
  };
}

/** What pydicom reads from one instance. */
export interface ReferenceInstance {
  name: string;
  transferSyntax: string;
  imageType: string[] | null;
  series: string;
  rows: number;
  columns: number;
  totalColumns: number;
  totalRows: number;
  frames: number;
  /** mm: row spacing, column spacing. */
  pixelSpacing: [number, number];
  /** Optical Path Sequence's first Objective Lens Power, if any. */
  objectiveLensPower: number | null;
  concatenationFrameOffset: number;
  /** 1-based (column, row) of each frame's top-left in the total pixel matrix, when the file lists them. */
  positions: [number, number][] | null;
  /** SHA-1 of each frame's encoded bytes, or of its RGB pixels when uncompressed. */
  frameSha1: string[];
}

export function pydicomReference(folders: string[]): Record<string, ReferenceInstance[]> {
  return JSON.parse(run(PYTHON, [SCRIPT, 'reference', ...folders])) as Record<string, ReferenceInstance[]>;
}
