import type { RgbaImage, TileDecoders } from './types';

/**
 * Decoding in the browser (the slide worker and the assistant's worker): JPEG and PNG by the
 * browser's own decoder (createImageBitmap, off the main thread, libjpeg-turbo in Chromium),
 * JPEG 2000 by OpenJPEG compiled to WebAssembly, loaded only when a slide needs it.
 */

function rgbaOf(bitmap: ImageBitmap): RgbaImage {
  // Read before close(): a closed bitmap reports 0 × 0.
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this browser');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, width, height);
  bitmap.close();
  return { width, height, data };
}

/** JPEG bytes as a Blob the browser's decoder takes. */
export function jpegBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' });
}

/** A whole image file (PNG, JPEG, WebP: whatever the browser decodes) as RGBA pixels. */
export async function decodeImageBlob(blob: Blob): Promise<RgbaImage> {
  return rgbaOf(await createImageBitmap(blob));
}

export const webDecoders: TileDecoders = {
  async jpeg(bytes) {
    return rgbaOf(await createImageBitmap(jpegBlob(bytes)));
  },
  async jpeg2000(bytes) {
    const { decodeJpeg2000 } = await import('./openjpegWeb');
    return decodeJpeg2000(bytes);
  },
};
