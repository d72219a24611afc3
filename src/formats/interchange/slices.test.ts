/**
 * A CT/MR series' shapes each sit on a slice; COCO, GeoJSON, CSV and YOLO have no slices. Every one
 * of those writers must say so rather than silently put three slices' shapes on one image.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cocoFileChunks, writeCoco } from '../coco/write';
import { writeCsv } from '../csv/write';
import { geoJsonFileChunks } from '../geojson/stream';
import { writeGeoJson } from '../geojson/write';
import { fromSharedDocument } from '../shared/convert';
import { validateSharedText } from '../shared/validate';
import { writeYolo } from '../yolo/write';

function fixture(name: string) {
  const r = validateSharedText(readFileSync(`tests/fixtures/shared/${name}`, 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return fromSharedDocument(r.doc);
}

describe('exports without slices', () => {
  // The fixture holds one series, "CT series 3 (4)", with three shapes, each on its own slice.
  const ct = fixture('v4-radiology-ct.json');
  const expected = (format: string) =>
    `3 shapes are on slices of the CT/MR series "CT series 3 (4)": ${format} has no slices, so each series' shapes are written on one image. Export the shared format (or DICOM SR from the viewer) to keep each shape on its slice`;

  it('COCO, GeoJSON, CSV and YOLO each warn, naming the series and counting its shapes', () => {
    expect(writeCoco(ct).warnings).toContain(expected('COCO'));
    expect(cocoFileChunks(ct).warnings).toContain(expected('COCO'));
    expect(writeGeoJson(ct).warnings).toContain(expected('GeoJSON'));
    expect(geoJsonFileChunks(ct).warnings).toContain(expected('GeoJSON'));
    expect(writeCsv(ct).warnings).toContain(expected('CSV'));
    expect(writeYolo(ct).warnings).toContain(expected('YOLO'));
  });

  it('a project without series gets no such warning', () => {
    const slides = fixture('v3-slides-pathology.json');
    const all = [...writeCoco(slides).warnings, ...writeGeoJson(slides).warnings, ...writeCsv(slides).warnings, ...writeYolo(slides).warnings];
    expect(all.filter((w) => w.includes('slices'))).toEqual([]);
  });
});
