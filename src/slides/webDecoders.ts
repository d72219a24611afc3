import type { RgbaImage, TileDecoders } from './types';

/**
 * Tile decoding in browser workers (the slide worker, the assistant's worker): JPEG by the
 * browser's own decoder (createImageBitmap, off the main thread, libjpeg-turbo in Chromium),
 * JPEG 2000 by OpenJPEG compiled to WebAssembly, loaded only when a slide needs it.
 */

export function rgbaOfBitmap(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this browser');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { width: bitmap.width, height: bitmap.height, data };
}

export function jpegBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' });
}

export const webDecoders: TileDecoders = {
  async jpeg(bytes) {
    return rgbaOfBitmap(await createImageBitmap(jpegBlob(bytes)));
  },
  async jpeg2000(bytes) {
    const { decodeJpeg2000 } = await import('./openjpegWeb');
    return decodeJpeg2000(bytes);
  },
};
