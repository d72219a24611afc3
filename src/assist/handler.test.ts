import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shapeIou } from '../agreement';
import { decodeImageFile } from '../cli/imageFile';
import { encodePng } from '../cli/png';
import { nodeTileDecoders } from '../cli/slideDecoders';
import { SYNTHETIC_MPP } from '../synthetic/slide';
import { makeTiff, tissue } from '../../tests/slides/makeSlides';
import { createAssistHandler, type HandlerEnvironment } from './handler';
import type { AssistRequest, AssistResponse, SlideRef } from './protocol';
import { blobRing, paintBlobs } from './testImages';

async function ask(env: HandlerEnvironment, requests: AssistRequest[]): Promise<AssistResponse[]> {
  const replies: AssistResponse[] = [];
  const handle = createAssistHandler((r) => replies.push(r), env);
  for (const r of requests) await handle(r);
  return replies;
}

const decodeBlob = async (blob: Blob) => decodeImageFile(new Uint8Array(await blob.arrayBuffer()), 'test image');

describe('the worker on image files', () => {
  it('decodes a plain image file once and outlines the nuclei clicked on it', async () => {
    const a = { cx: 30, cy: 30, rx: 8 }, b = { cx: 70, cy: 50, rx: 9, ry: 6 };
    const painted = paintBlobs(100, 80, [a, b]);
    const blob = new Blob([new Uint8Array(encodePng(painted))], { type: 'image/png' });
    let decoded = 0;
    const env = { decodeImage: (x: Blob) => (decoded++, decodeBlob(x)) };
    const slide: SlideRef = { kind: 'file', key: 'blob-1', blob };
    const replies = await ask(env, [a, b].map((n, i) => ({ type: 'outline', id: i + 1, slide, click: { x: n.cx, y: n.cy }, downsample: 1, options: { mpp: SYNTHETIC_MPP } })));
    expect(decoded).toBe(1);
    replies.forEach((r, i) => {
      if (r.type !== 'outline' || 'refused' in r.result) throw new Error(`no outline: ${JSON.stringify(r)}`);
      // The painted ellipse is the truth: its edge pixels are painted by their covered fraction.
      expect(shapeIou(r.result.geometry, { type: 'polygon', points: blobRing([a, b][i]) })).toBeGreaterThan(0.85);
    });
  });

  it('says where the problem is when a file cannot be decoded', async () => {
    const slide: SlideRef = { kind: 'file', key: 'blob-2', blob: new Blob([new Uint8Array([1, 2, 3])]) };
    const [r] = await ask({ decodeImage: decodeBlob }, [{ type: 'outline', id: 1, slide, click: { x: 5, y: 5 }, downsample: 1, options: { mpp: 0.25 } }]);
    expect(r).toEqual({ type: 'error', id: 1, message: 'test image: not a PNG, JPEG or TIFF file' });
  });
});

describe('the worker on slide files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'granula-assist-slide-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds in a pyramidal TIFF the very nuclei it finds in the same pixels as a plain image', async () => {
    // Real IHC pixels (ihc.png tiled by libvips), saved once losslessly as a pyramid and once as a PNG.
    const path = makeTiff(dir, { compression: 'lzw', width: 700, height: 600 });
    const png = join(dir, 'same.png');
    execFileSync('vips', ['copy', tissue(dir, 700, 600), png]);
    const rect = { x: 150, y: 120, w: 300, h: 260 };
    const file = new File([readFileSync(path)], 'pyramid.tif');
    const env = { decodeImage: decodeBlob, tileDecoders: nodeTileDecoders };
    const [fromSlide, fromImage] = await ask(env, [
      { type: 'propose', id: 1, slide: { kind: 'slide', key: 'slide-1', files: [file] }, rect, downsample: 1, options: { mpp: 0.5 } },
      { type: 'propose', id: 2, slide: { kind: 'file', key: 'png-1', blob: new Blob([readFileSync(png)]) }, rect, downsample: 1, options: { mpp: 0.5 } },
    ]);
    if (fromSlide.type !== 'propose' || fromImage.type !== 'propose') throw new Error(JSON.stringify([fromSlide, fromImage]));
    expect(fromImage.result.length).toBeGreaterThan(10);
    expect(fromSlide.result).toEqual(fromImage.result);
  });
});
