// Every common transfer syntax decoded to the stored values pydicom decodes, on pydicom's own test
// files. Where Debian's pydicom has no decoder (JPEG-LS, JPEG lossless) the file is compared with the
// uncompressed file it was made from (lossless, so equal): MR_small.dcm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFrameDecoders } from '../cli/radiologyDecoders';
import { pydicomPixels, pydicomTestFiles } from '../../tests/radiology/pydicomFiles';
import { python } from '../../tests/slides/makeSlides';
import { decodeFrame, modalityValues } from './frames';
import { readInstance } from './instance';

const dir = pydicomTestFiles();
const scratch = mkdtempSync(join(tmpdir(), 'granula-frames-'));
const open = (path: string) => readInstance(new Uint8Array(readFileSync(path)), path)!;

const maxAbsDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

async function ours(path: string, frame = 0) {
  return Array.from(await decodeFrame(open(path), nodeFrameDecoders, frame));
}

describe('CT and MR frames in every common transfer syntax, as pydicom decodes them', { timeout: 30_000 }, () => {
  it.each([
    ['CT_small.dcm', '1.2.840.10008.1.2.1'], // explicit VR little endian, signed 16-bit
    ['MR_small.dcm', '1.2.840.10008.1.2.1'],
    ['MR_small_implicit.dcm', '1.2.840.10008.1.2'],
    ['image_dfl.dcm', '1.2.840.10008.1.2.1.99'], // deflated, 8-bit
    ['MR_small_RLE.dcm', '1.2.840.10008.1.2.5'],
    ['SC_rgb_rle.dcm', '1.2.840.10008.1.2.5'], // RLE, three 8-bit samples
    ['SC_rgb_rle_16bit.dcm', '1.2.840.10008.1.2.5'], // RLE, three 16-bit samples: six segments
    ['MR_small_jp2klossless.dcm', '1.2.840.10008.1.2.4.90'], // JPEG 2000 lossless, signed 16-bit
    ['JPEG2000.dcm', '1.2.840.10008.1.2.4.91'], // JPEG 2000 lossy, signed
  ])('%s (%s) equals pydicom', async (file, transferSyntax) => {
    const reference = pydicomPixels(join(dir, file));
    expect(reference.transferSyntax).toBe(transferSyntax);
    expect(await ours(join(dir, file))).toEqual(reference.values);
  });

  it.each([
    ['SC_rgb_rle_2frame.dcm'], // RLE, one fragment per frame
    ['rtdose.dcm'], // implicit VR, 15 native frames of 32-bit samples
  ])('%s: every frame equals pydicom', async (file) => {
    const path = join(dir, file);
    const instance = open(path);
    const frames = await Promise.all(Array.from({ length: instance.frames }, (_, f) => ours(path, f)));
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.flat()).toEqual(pydicomPixels(path).values);
  });

  it('32-bit samples (SC_rgb_rle_32bit_2frame.dcm, RLE in twelve segments) are pydicom values as float32 holds them: within 2^-24 relative', async () => {
    const path = join(dir, 'SC_rgb_rle_32bit_2frame.dcm');
    const values = [...(await ours(path, 0)), ...(await ours(path, 1))];
    const reference = pydicomPixels(path).values;
    expect(values.length).toBe(reference.length);
    expect(reference.some((v) => v > 2 ** 24)).toBe(true); // values beyond float32's exact integers are there
    expect(values.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]) / Math.max(1, reference[i])), 0)).toBeLessThanOrEqual(2 ** -24);
  });

  it('JPEG baseline (SC_rgb_jpeg_dcmtk.dcm, YCbCr → RGB) is within 2 of the YCbCr pydicom decodes, converted by pydicom (upsampling and colour conversion round apart)', async () => {
    const path = join(dir, 'SC_rgb_jpeg_dcmtk.dcm');
    const reference = pydicomPixels(path, true);
    expect(reference.transferSyntax).toBe('1.2.840.10008.1.2.4.50');
    const values = await ours(path);
    expect(values.length).toBe(reference.values.length);
    expect(maxAbsDiff(values, reference.values)).toBeLessThanOrEqual(2);
  });

  it('JPEG-LS lossless (MR_small_jpeg_ls_lossless.dcm) equals the uncompressed MR_small.dcm', async () => {
    expect(open(join(dir, 'MR_small_jpeg_ls_lossless.dcm')).file.header.transferSyntax).toBe('1.2.840.10008.1.2.4.80');
    expect(await ours(join(dir, 'MR_small_jpeg_ls_lossless.dcm'))).toEqual(pydicomPixels(join(dir, 'MR_small.dcm')).values);
  });

  it.each([
    ['+el', '1.2.840.10008.1.2.4.57'], // JPEG lossless, process 14
    ['+e1', '1.2.840.10008.1.2.4.70'], // process 14, selection value 1
  ])('JPEG lossless (DCMTK dcmcjpeg %s on MR_small.dcm at test time, %s) equals MR_small.dcm', async (option, transferSyntax) => {
    const out = join(scratch, `MR_small${option}.dcm`);
    execFileSync('dcmcjpeg', [option, join(dir, 'MR_small.dcm'), out]);
    expect(open(out).file.header.transferSyntax).toBe(transferSyntax);
    expect(await ours(out)).toEqual(pydicomPixels(join(dir, 'MR_small.dcm')).values);
  });

  it('8-bit JPEG extended (DCMTK dcmcjpeg +ee on image_dfl.dcm at test time) is within 1 of pydicom', async () => {
    const out = join(scratch, 'image_ext8.dcm');
    execFileSync('dcmcjpeg', ['+ee', join(dir, 'image_dfl.dcm'), out]);
    const reference = pydicomPixels(out);
    expect(reference.transferSyntax).toBe('1.2.840.10008.1.2.4.51');
    const values = await ours(out);
    expect(values.length).toBe(reference.values.length);
    expect(maxAbsDiff(values, reference.values)).toBeLessThanOrEqual(1);
  });

  it('native RGB stored plane by plane (Planar Configuration 1, made from SC_rgb_small_odd.dcm by pydicom) is read pixel by pixel as pydicom reads it', async () => {
    const out = join(scratch, 'SC_rgb_planar.dcm');
    python(
      'import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array; d.PlanarConfiguration = 1; d.PixelData = a.transpose(2, 0, 1).tobytes() + (b"\\0" if a.size % 2 else b""); d.save_as(sys.argv[2])',
      [join(dir, 'SC_rgb_small_odd.dcm'), out],
    );
    expect(open(out).planarConfiguration).toBe(1);
    const reference = pydicomPixels(out).values;
    expect(reference).toEqual(pydicomPixels(join(dir, 'SC_rgb_small_odd.dcm')).values);
    expect(await ours(out)).toEqual(reference);
  });

  it('a real JPEG lossless RGB file (SC_rgb_jpeg_gdcm.dcm, written by GDCM) equals what DCMTK decompresses it to', async () => {
    const out = join(scratch, 'SC_rgb_jpeg_gdcm_decompressed.dcm');
    execFileSync('dcmdjpeg', [join(dir, 'SC_rgb_jpeg_gdcm.dcm'), out]);
    expect(open(join(dir, 'SC_rgb_jpeg_gdcm.dcm')).file.header.transferSyntax).toBe('1.2.840.10008.1.2.4.70');
    expect(await ours(join(dir, 'SC_rgb_jpeg_gdcm.dcm'))).toEqual(pydicomPixels(out).values);
  });

  it('CT values are rescaled to Hounsfield units with the slope and intercept pydicom reads', async () => {
    const path = join(dir, 'CT_small.dcm');
    const reference = JSON.parse(
      python('import sys, json, pydicom; from pydicom.pixel_data_handlers.util import apply_modality_lut as m; d = pydicom.dcmread(sys.argv[1]); print(json.dumps(m(d.pixel_array, d).ravel().tolist()))', [path]),
    ) as number[];
    const instance = open(path);
    expect(Array.from(modalityValues(await decodeFrame(instance, nodeFrameDecoders), instance))).toEqual(reference);
  });

  it('a 12-bit JPEG extended file is refused with what it is, not shown wrong', async () => {
    await expect(ours(join(dir, 'JPGExtended.dcm'))).rejects.toThrow(/JPGExtended\.dcm: frame 1 \(JPEG Extended\): a 12-bit JPEG/);
  });
});
