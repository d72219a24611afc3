import { decodeTile } from '../slides/region';
import type { EncodedTile, RgbaImage } from '../slides/types';
import { jpegBlob, webDecoders } from '../slides/webDecoders';

/** A tile as a bitmap for OpenSeadragon, cut to the part inside the level (TIFF pads edge tiles). */
export async function tileBitmap(tile: EncodedTile): Promise<ImageBitmap> {
  const w = tile.visibleWidth, h = tile.visibleHeight;
  // JPEG straight from the bytes: the browser decodes it without a copy through RGBA.
  if (tile.kind === 'jpeg') return createImageBitmap(jpegBlob(tile.bytes), 0, 0, w, h);
  const img = await decodeTile(tile, webDecoders);
  return createImageBitmap(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0, w, h);
}

/** An RGBA image as a bitmap (associated images). */
export function rgbaBitmap(img: RgbaImage): Promise<ImageBitmap> {
  return createImageBitmap(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height));
}
