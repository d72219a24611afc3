import { decodeTile } from '../slides/region';
import type { EncodedTile, RgbaImage, TileDecoders } from '../slides/types';

/**
 * Tile decoding in the browser (the slide worker and the assistant's worker): JPEG by the
 * browser's own decoder (createImageBitmap, off the main thread, libjpeg-turbo in Chromium),
 * JPEG 2000 by OpenJPEG compiled to WebAssembly, loaded only when a slide needs it.
 */

function rgbaOf(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this browser');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { width: bitmap.width, height: bitmap.height, data };
}

function jpegBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' });
}

export const browserDecoders: TileDecoders = {
  async jpeg(bytes) {
    return rgbaOf(await createImageBitmap(jpegBlob(bytes)));
  },
  async jpeg2000(bytes) {
    const { decodeJpeg2000 } = await import('./openjpegBrowser');
    return decodeJpeg2000(bytes);
  },
};

/** A tile as a bitmap for OpenSeadragon, cut to the part inside the level (TIFF pads edge tiles). */
export async function tileBitmap(tile: EncodedTile): Promise<ImageBitmap> {
  const w = tile.visibleWidth, h = tile.visibleHeight;
  switch (tile.kind) {
    case 'jpeg':
      return createImageBitmap(jpegBlob(tile.bytes), 0, 0, w, h);
    default: {
      const img = await decodeTile(tile, browserDecoders);
      return createImageBitmap(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0, w, h);
    }
  }
}

/** An RGBA image as a bitmap (associated images, regions). */
export function rgbaBitmap(img: RgbaImage): Promise<ImageBitmap> {
  return createImageBitmap(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height));
}
