/**
 * Slide files made at test time, as scanners and converters write them, from real tissue pixels
 * (scikit-image's immunohistochemistry sample, ihc.png, repeated to slide size): pyramids by
 * libvips, Aperio's and OME-TIFF's directory layouts by tifffile. Shared by the reader tests, the
 * DICOM tests, the browser test and the benchmark. Needs Debian's libvips-tools, python3-tifffile,
 * python3-skimage (installed by .ci/run).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's Python, which has tifffile, OpenSlide and scikit-image (another python3 may come first on PATH). */
export const PYTHON = '/usr/bin/python3';

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function python(script: string, args: string[] = []): string {
  return run(PYTHON, ['-c', script, ...args]);
}

/**
 * A width×height RGB image of stained tissue in libvips' own format, made once per folder:
 * ihc.png (512², DAB and haematoxylin) repeated and cropped, so every tile has real texture.
 */
export function tissue(dir: string, width = 3000, height = 2200): string {
  const out = join(dir, `tissue-${width}x${height}.v`);
  if (existsSync(out)) return out;
  const repeated = join(dir, `ihc-${width}x${height}.v`);
  run('vips', ['replicate', ihcPath(), repeated, String(Math.ceil(width / 512)), String(Math.ceil(height / 512))]);
  run('vips', ['extract_area', repeated, out, '0', '0', String(width), String(height)]);
  return out;
}

/** ihc.png's path in Debian's scikit-image. */
function ihcPath(): string {
  return python("import skimage, os; print(os.path.join(os.path.dirname(skimage.__file__), 'data', 'ihc.png'))").trim();
}

/**
 * A large JPEG pyramidal BigTIFF straight from libvips' pipeline (no full-size intermediate):
 * ihc.png repeated `repeat` × `repeat` times (140 → 71,680² px, about 1.5 GB), for the benchmark.
 */
export function makeLargePyramid(dir: string, repeat: number): string {
  const out = join(dir, `wsi-${repeat * 512}.tif`);
  if (!existsSync(out)) run('vips', ['replicate', ihcPath(), `${out}[tile,tile-width=256,tile-height=256,pyramid,compression=jpeg,Q=75,bigtiff]`, String(repeat), String(repeat)]);
  return out;
}

export type TiffCompression = 'jpeg' | 'lzw' | 'deflate' | 'zstd' | 'jp2k' | 'none';

export interface TiffOptions {
  compression?: TiffCompression;
  bigtiff?: boolean;
  /** Predictor 2 (horizontal differencing) for the lossless compressions. */
  predictor?: boolean;
  /** µm per pixel, written as XResolution/YResolution in pixels per centimetre. */
  mpp?: number;
  width?: number;
  height?: number;
  name?: string;
  /** RGB JPEG (Photometric RGB, as Aperio writes) instead of vips' default YCbCr. */
  rgbJpeg?: boolean;
}

/** A generic tiled pyramidal TIFF as `vips tiffsave --tile --pyramid` writes it (256² tiles). */
export function makeTiff(dir: string, options: TiffOptions = {}): string {
  const { compression = 'jpeg', bigtiff = false, predictor = false, mpp = 0.25, width, height } = options;
  const out = join(dir, options.name ?? `pyramid-${compression}${bigtiff ? '-bigtiff' : ''}${predictor ? '-predictor' : ''}.tif`);
  const pxPerMm = 1000 / mpp;
  run('vips', [
    'tiffsave', tissue(dir, width, height), out, '--tile', '--tile-width', '256', '--tile-height', '256', '--pyramid',
    '--compression', compression, '--Q', '80', '--xres', String(pxPerMm), '--yres', String(pxPerMm), '--resunit', 'cm',
    ...(bigtiff ? ['--bigtiff'] : []), ...(predictor ? ['--predictor', 'horizontal'] : []), ...(options.rgbJpeg ? ['--rgbjpeg'] : []),
  ]);
  return out;
}

export interface SvsOptions {
  /** JPEG (Aperio's 7, RGB), JPEG 2000 coding RGB (Aperio's 33005) or YCbCr (33003). */
  compression?: 'jpeg' | 'jp2k' | 'jp2k-ycbcr';
  mpp?: number;
  appMag?: number;
  /** Add the stripped label (LZW) and macro (JPEG) images Aperio scanners write. */
  label?: boolean;
  name?: string;
}

/**
 * An Aperio .svs laid out as Aperio's scanners write it: IFD 0 the full image (tiled, with the
 * "Aperio Image Library" description), IFD 1 a stripped JPEG thumbnail, then the reduced levels,
 * then the label and macro images named on their description's second line. The tiles are
 * libvips' JPEG or JPEG 2000 tiles copied as they are; tifffile writes the directories.
 */
export function makeSvs(dir: string, options: SvsOptions = {}): string {
  const { compression = 'jpeg', mpp = 0.252, appMag = 40, label = true } = options;
  const out = join(dir, options.name ?? `aperio-${compression}.svs`);
  const image = tissue(dir);
  const pyramid = join(dir, `svs-levels-${compression}.tif`);
  // For 33003 the levels are left uncompressed here and each tile is coded as YCbCr by PIL below.
  const vipsCompression = compression === 'jp2k-ycbcr' ? 'none' : compression;
  run('vips', ['tiffsave', image, pyramid, '--tile', '--tile-width', '256', '--tile-height', '256', '--pyramid', '--compression', vipsCompression, '--Q', '70', ...(compression === 'jpeg' ? ['--rgbjpeg'] : [])]);
  const thumbnailPixels = join(dir, 'svs-thumbnail.v');
  const thumbnail = join(dir, 'svs-thumbnail.tif');
  run('vips', ['thumbnail', image, thumbnailPixels, '768']);
  run('vips', ['tiffsave', thumbnailPixels, thumbnail, '--compression', 'jpeg', '--rgbjpeg', '--Q', '90']);
  const extras: string[] = [];
  if (label) {
    const labelPixels = join(dir, 'svs-label.v');
    const macroPixels = join(dir, 'svs-macro.v');
    run('vips', ['extract_area', image, labelPixels, '0', '0', '400', '450']);
    run('vips', ['tiffsave', labelPixels, join(dir, 'svs-label.tif'), '--compression', 'lzw', '--predictor', 'none']);
    run('vips', ['thumbnail', image, macroPixels, '1200']);
    run('vips', ['tiffsave', macroPixels, join(dir, 'svs-macro.tif'), '--compression', 'jpeg', '--rgbjpeg']);
    extras.push(join(dir, 'svs-label.tif'), join(dir, 'svs-macro.tif'));
  }
  const description = `Aperio Image Library v12.0.15 \n3000x2200 [0,100 3000x2200] (256x256) ${compression === 'jpeg' ? 'JPEG/RGB Q=70' : 'J2K/KDU Q=70'}|AppMag = ${appMag}|MPP = ${mpp.toFixed(4)}|ScanScope ID = SS1234`;
  python(SVS_SCRIPT, [out, pyramid, thumbnail, description, { jpeg: '7', jp2k: '33005', 'jp2k-ycbcr': '33003' }[compression], ...extras]);
  return out;
}

// Copies libvips' encoded tiles and strips into Aperio's directory order. tifffile writes chunks
// handed to it as bytes unchanged; it is told 'zlib' (which it knows without imagecodecs) and
// the Compression tag is set to the real scheme afterwards. For 33003, PIL codes each tile's
// YCbCr (JFIF's conversion) as a JPEG 2000 codestream without a component transform, as Aperio does.
const SVS_SCRIPT = String.raw`
import io, sys, numpy, tifffile
from PIL import Image
out, pyramid, thumbnail, description, level_compression = sys.argv[1:6]
extras = sys.argv[6:]
def chunks(tf, page):
    if page.compression == 1 and level_compression == '33003' and page.is_tiled:
        pixels = page.asarray()
        th, tw = page.tilelength, page.tilewidth
        for y in range(0, page.imagelength, th):
            for x in range(0, page.imagewidth, tw):
                tile = numpy.zeros((th, tw, 3), numpy.uint8)
                part = pixels[y:y + th, x:x + tw]
                tile[:part.shape[0], :part.shape[1]] = part
                buffer = io.BytesIO()
                Image.fromarray(tile).convert('YCbCr').save(buffer, 'JPEG2000', no_jp2=True, quality_mode='rates', quality_layers=[8])
                yield buffer.getvalue()
        return
    fh = tf.filehandle
    for offset, count in zip(page.dataoffsets, page.databytecounts):
        fh.seek(offset)
        yield fh.read(count)
def copy(w, tf, page, **kw):
    args = dict(shape=page.shape, dtype=page.dtype, compression='zlib', photometric='rgb', metadata=None)
    if page.is_tiled:
        args['tile'] = (page.tilelength, page.tilewidth)
    else:
        args['rowsperstrip'] = page.rowsperstrip
    if page.jpegtables is not None:
        args['jpegtables'] = page.jpegtables
    args.update(kw)
    w.write(chunks(tf, page), **args)
compressions = []
with tifffile.TiffFile(pyramid) as levels, tifffile.TiffFile(thumbnail) as thumb, tifffile.TiffWriter(out, bigtiff=False) as w:
    copy(w, levels, levels.pages[0], description=description)
    compressions.append(int(level_compression))
    copy(w, thumb, thumb.pages[0], description=description.split('|')[0] + ' -> 768x563 - |AppMag = 40')
    compressions.append(7)
    for page in levels.pages[1:]:
        copy(w, levels, page, description=description.split('|')[0] + ' -> %dx%d - |AppMag = 40' % (page.imagewidth, page.imagelength))
        compressions.append(int(level_compression))
    for path, name in zip(extras, ['label', 'macro']):
        with tifffile.TiffFile(path) as extra:
            page = extra.pages[0]
            copy(w, extra, page, description='Aperio Image Library v12.0.15\n%s %dx%d' % (name, page.imagewidth, page.imagelength), subfiletype=1 if name == 'label' else 9)
            compressions.append(int(page.compression))
with tifffile.TiffFile(out, mode='r+b') as tf:
    for page, compression in zip(tf.pages, compressions):
        page.tags['Compression'].overwrite(compression)
`;

export interface OmeOptions {
  /** µm per pixel; written in nanometres with PhysicalSizeXUnit="nm" when `unit` is 'nm', to exercise the conversion. */
  mpp?: number;
  unit?: 'µm' | 'nm';
  name?: string;
}

/**
 * An OME-TIFF pyramid as tifffile (and bioformats2raw/raw2ometiff) writes it: the full image with its
 * reduced levels in SubIFDs (Deflate, 256² tiles, Predictor 2), then a second Image named "macro".
 */
export function makeOmeTiff(dir: string, options: OmeOptions = {}): string {
  const { mpp = 0.5, unit = 'µm' } = options;
  const out = join(dir, options.name ?? 'pyramid.ome.tif');
  const raw = join(dir, 'ome-tissue.tif');
  run('vips', ['tiffsave', tissue(dir, 2000, 1500), raw]);
  python(OME_SCRIPT, [raw, out, String(unit === 'nm' ? mpp * 1000 : mpp), unit]);
  return out;
}

const OME_SCRIPT = String.raw`
import sys, numpy, tifffile
raw, out, size, unit = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
base = tifffile.imread(raw)
levels = [base]
while min(levels[-1].shape[:2]) > 300:
    a = levels[-1][: levels[-1].shape[0] // 2 * 2, : levels[-1].shape[1] // 2 * 2].astype(numpy.uint16)
    levels.append(((a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2] + 2) // 4).astype(numpy.uint8))
options = dict(tile=(256, 256), compression='zlib', predictor=True, photometric='rgb')
with tifffile.TiffWriter(out, bigtiff=True, ome=True) as w:
    w.write(base, subifds=len(levels) - 1, metadata={'Name': 'tissue', 'PhysicalSizeX': size, 'PhysicalSizeXUnit': unit, 'PhysicalSizeY': size, 'PhysicalSizeYUnit': unit}, **options)
    for level in levels[1:]:
        w.write(level, subfiletype=1, **options)
    w.write(levels[-1], metadata={'Name': 'macro'}, **options)
`;

/** A small tiled TIFF carrying Hamamatsu's NDPI marker tag (65420), named .ndpi, as an NDPI file looks to a TIFF reader. */
export function makeNdpi(dir: string): string {
  const out = join(dir, 'scan.ndpi');
  python(
    String.raw`
import sys, numpy, tifffile
tifffile.imwrite(sys.argv[1], numpy.zeros((512, 512, 3), numpy.uint8), tile=(256, 256), photometric='rgb', extratags=[(65420, 4, 1, 1, True)])
`,
    [out],
  );
  return out;
}

/** A plain (stripped, one-level) TIFF: a photograph, not a slide. */
export function makeStrippedTiff(dir: string): string {
  const out = join(dir, 'flat.tif');
  run('vips', ['tiffsave', tissue(dir, 1000, 800), out, '--compression', 'lzw']);
  return out;
}
