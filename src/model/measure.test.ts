import { describe, expect, it } from 'vitest';
import { formatLength, lineLength, lineLengthText, pixelScaleOf } from './measure';
import type { ImageRecord, LineGeometry } from './types';

const line = (...points: number[]): LineGeometry => ({ type: 'line', points });
const series = (mpp?: number): Pick<ImageRecord, 'mpp' | 'source'> => ({
  mpp,
  source: { kind: 'dicom-series', fileKey: 'k', fileNames: ['a'], bytes: 1, modality: 'CT', sopClassUid: '1.2', studyInstanceUid: '1.3', seriesInstanceUid: '1.4', slices: [{ sopInstanceUid: '1.5', frame: 1 }] },
});
const slide = (mpp?: number): Pick<ImageRecord, 'mpp' | 'source'> => ({ mpp, source: { kind: 'synthetic', seed: 1 } });

describe('length of a line', () => {
  it('on a CT slice: 30 px at 0.5 mm is 15 mm, along a row or down a column', () => {
    const s = pixelScaleOf(series(), [0.5, 0.5]);
    expect(lineLength(line(10, 10, 40, 10), s)).toBe(15);
    expect(lineLength(line(10, 10, 10, 40), s)).toBe(15);
  });

  it('takes row spacing for y and column spacing for x when they differ (DICOM gives row spacing first)', () => {
    // Pixel Spacing 0.5 \ 0.8: rows 0.5 mm apart (y), columns 0.8 mm apart (x).
    const s = pixelScaleOf(series(), [0.5, 0.8]);
    expect(s).toEqual({ unit: 'mm', row: 0.5, column: 0.8 });
    // 15 px across (12 mm) and 10 px down (5 mm): a 5-12-13 triangle.
    expect(lineLength(line(20, 30, 35, 40), s)).toBeCloseTo(13, 12);
    // Either direction of drawing gives the same length.
    expect(lineLength(line(35, 40, 20, 30), s)).toBeCloseTo(13, 12);
  });

  it('on a series without the slice at hand: the stored column spacing (µm) as square pixels', () => {
    expect(pixelScaleOf(series(703.125))).toEqual({ unit: 'mm', row: 0.703125, column: 0.703125 });
    expect(pixelScaleOf(series())).toEqual({ unit: 'px', row: 1, column: 1 });
  });

  it('on a slide in µm by its µm per pixel, else in pixels', () => {
    expect(lineLength(line(0, 0, 300, 400), pixelScaleOf(slide(0.25)))).toBe(125);
    expect(lineLength(line(0, 0, 3, 4), pixelScaleOf(slide()))).toBe(5);
  });
});

describe('length as text', () => {
  it('one decimal in mm and px, µm up to a millimetre, mm with two decimals above', () => {
    expect(formatLength(15, 'mm', 'en')).toBe('15.0 mm');
    expect(formatLength(12.345, 'px', 'en')).toBe('12.3 px');
    expect(formatLength(125, 'µm', 'en')).toBe('125.0 µm');
    expect(formatLength(2500, 'µm', 'en')).toBe('2.50 mm');
  });

  it('numbers as the language writes them', () => {
    expect(formatLength(1234.5, 'mm', 'en')).toBe('1,234.5 mm');
    expect(formatLength(1234.5, 'mm', 'ja')).toBe('1,234.5 mm');
    expect(formatLength(1234.5, 'mm', 'de')).toBe('1.234,5 mm');
    expect(lineLengthText(line(20, 30, 35, 40), pixelScaleOf(series(), [0.5, 0.8]), 'en')).toBe('13.0 mm');
  });
});
