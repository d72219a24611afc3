import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jpegBytes, pngBytes } from '../../tests/fixtures/formats/images';
import { imageSize } from './imageSize';

const dir = mkdtempSync(join(tmpdir(), 'granula-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasFile = spawnSync('file', ['--version']).status === 0;

describe('image size from the header', () => {
  it('PNG: width and height of IHDR', () => {
    expect(imageSize(pngBytes(1280, 1024))).toEqual({ ok: true, type: 'png', width: 1280, height: 1024 });
    expect(imageSize(pngBytes(3, 70000).subarray(0, 24))).toEqual({ ok: true, type: 'png', width: 3, height: 70000 });
  });

  it('JPEG: the frame header, past JFIF, EXIF and long blocks before it', () => {
    expect(imageSize(jpegBytes(640, 480))).toEqual({ ok: true, type: 'jpeg', width: 640, height: 480 });
    expect(imageSize(jpegBytes(1920, 1080, { orientation: 1 }))).toEqual({ ok: true, type: 'jpeg', width: 1920, height: 1080 });
    expect(imageSize(jpegBytes(1920, 1080, { exifPadding: 60_000 }))).toEqual({ ok: true, type: 'jpeg', width: 1920, height: 1080 });
  });

  it('JPEG turned a quarter by its EXIF orientation (6, 8; big- or little-endian): width and height swap', () => {
    // A phone held upright stores 4032 × 3024 pixels with orientation 6; it is shown 3024 wide.
    expect(imageSize(jpegBytes(4032, 3024, { orientation: 6 }))).toEqual({ ok: true, type: 'jpeg', width: 3024, height: 4032 });
    expect(imageSize(jpegBytes(4032, 3024, { orientation: 8, littleEndian: false }))).toEqual({ ok: true, type: 'jpeg', width: 3024, height: 4032 });
    expect(imageSize(jpegBytes(4032, 3024, { orientation: 3 }))).toEqual({ ok: true, type: 'jpeg', width: 4032, height: 3024 });
  });

  it('a JPEG cut before its frame asks for more bytes; other files say what is wrong', () => {
    const whole = jpegBytes(1920, 1080, { exifPadding: 60_000 });
    const cut = imageSize(whole.subarray(0, 1000));
    expect(cut.ok).toBe(false);
    expect(!cut.ok && cut.more! > 60_000 && cut.more! <= whole.length).toBe(true);
    expect(imageSize(new TextEncoder().encode('0 0.5 0.5 0.1 0.1\n'))).toEqual({ ok: false, message: 'is not a PNG or JPEG image, so its size cannot be read' });
    expect(imageSize(pngBytes(10, 10).subarray(0, 20))).toEqual({ ok: false, more: 24, message: 'is a PNG image cut short before its size' });
  });

  it.skipIf(!hasFile)('agrees with the file tool on the same bytes', () => {
    for (const [name, bytes, size] of [['a.png', pngBytes(321, 123), '321 x 123'], ['b.jpg', jpegBytes(800, 600), '800x600']] as const) {
      writeFileSync(join(dir, name), bytes);
      expect(execFileSync('file', ['-b', join(dir, name)], { encoding: 'utf8' })).toContain(size);
    }
  });
});
