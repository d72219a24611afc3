import type { ImageRecord, LineGeometry } from './types';

/**
 * The physical size of one image pixel, for length measurements. `column` is the distance between
 * neighbouring columns (along x), `row` between neighbouring rows (along y): DICOM Pixel Spacing
 * gives them as (row spacing, column spacing) and they may differ; a slide's µm per pixel is the
 * same both ways. An image without a known pixel size measures in pixels.
 */
export interface PixelScale {
  unit: 'mm' | 'µm' | 'px';
  column: number;
  row: number;
}

const PIXELS: PixelScale = { unit: 'px', column: 1, row: 1 };

/**
 * The scale lengths on `image` are measured in: a CT/MR series in mm by its Pixel Spacing (row
 * spacing, column spacing; from the slice shown, or the series' stored column spacing when no slice
 * is at hand), any other image in µm by its µm per pixel, else in pixels.
 */
export function pixelScaleOf(image: Pick<ImageRecord, 'mpp' | 'source'>, pixelSpacing?: readonly [number, number]): PixelScale {
  if (image.source.kind === 'dicom-series') {
    if (pixelSpacing && pixelSpacing[0] > 0 && pixelSpacing[1] > 0) return { unit: 'mm', row: pixelSpacing[0], column: pixelSpacing[1] };
    // The image record keeps the column spacing (as µm) only: square pixels are assumed then.
    return image.mpp ? { unit: 'mm', row: image.mpp / 1000, column: image.mpp / 1000 } : PIXELS;
  }
  return image.mpp ? { unit: 'µm', row: image.mpp, column: image.mpp } : PIXELS;
}

/** The length of a line in the scale's unit: √((Δx · column spacing)² + (Δy · row spacing)²). */
export function lineLength(g: LineGeometry, scale: PixelScale): number {
  const [x0, y0, x1, y1] = g.points;
  return Math.hypot((x1 - x0) * scale.column, (y1 - y0) * scale.row);
}

/**
 * A length as a reader expects it, numbers in the language's form: mm with one decimal (as
 * radiologists read rulers), µm with one decimal up to a millimetre and mm with two above it (a
 * tumour on a slide), whole pixels with one decimal.
 */
export function formatLength(length: number, unit: PixelScale['unit'], lang: string): string {
  const fixed = (digits: number) => new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (unit === 'µm' && length >= 1000) return `${fixed(2).format(length / 1000)} mm`;
  return `${fixed(1).format(length)} ${unit}`;
}

/** A line's length on an image, formatted: what the viewer writes beside it and the inspector shows. */
export function lineLengthText(g: LineGeometry, scale: PixelScale, lang: string): string {
  return formatLength(lineLength(g, scale), scale.unit, lang);
}
