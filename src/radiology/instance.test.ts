// CT/MR instances read from files as pydicom reads them, and grouped into studies and series in
// slice order: series made by pydicom at test time, oblique, numbered against their positions and
// shuffled on disk, ordered by numpy's projection of each position on the slice normal.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pydicomTestFiles } from '../../tests/radiology/pydicomFiles';
import { PYTHON } from '../../tests/slides/makeSlides';
import { groupStudies, readInstance } from './instance';

const open = (path: string) => readInstance(new Uint8Array(readFileSync(path)), path)!;

/** Two studies, three series; slice order by numpy, file name and Instance Number deliberately not in it. */
const MAKE_SERIES = `
import json, os, random, sys
import numpy as np
import pydicom
from pydicom.uid import generate_uid
out = sys.argv[1]
src = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files", "CT_small.dcm")
random.seed(7)
# An oblique plane: rows along (cos a, sin a, 0), columns tilted out of the axial plane.
a, b = 0.3, 0.4
row = np.array([np.cos(a), np.sin(a), 0.0])
col = np.array([-np.sin(a) * np.cos(b), np.cos(a) * np.cos(b), np.sin(b)])
normal = np.cross(row, col)
expected = {}
for study in range(2):
    study_uid = generate_uid()
    for series in range(1 + study):
        series_uid = generate_uid()
        slices = []
        for k in range(7):
            ds = pydicom.dcmread(src)
            ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study_uid, series_uid, generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.ImageOrientationPatient = [round(float(v), 6) for v in (*row, *col)]
            offset = random.uniform(-80, 80)
            ds.ImagePositionPatient = [round(float(v), 4) for v in (np.array([10.0, -20.0, 5.0]) + offset * normal + random.uniform(-3, 3) * row)]
            ds.InstanceNumber = random.randint(1, 1000)
            name = "%s.dcm" % generate_uid()
            ds.save_as(os.path.join(out, name), write_like_original=False)
            slices.append((float(np.dot(np.array(ds.ImagePositionPatient, dtype=float), normal)), ds.SOPInstanceUID))
        expected[series_uid] = {"study": study_uid, "order": [sop for _, sop in sorted(slices)]}
print(json.dumps(expected))`;

describe('CT/MR instances, studies and series', () => {
  it.each(['CT_small.dcm', 'MR_small.dcm', 'MR_small_implicit.dcm'])('%s: geometry, rescale and windows as pydicom reads them', (name) => {
    const path = join(pydicomTestFiles(), name);
    const script = `
import json, sys, pydicom
d = pydicom.dcmread(sys.argv[1])
f = lambda v: [float(x) for x in v] if v is not None else None
print(json.dumps({"rows": d.Rows, "columns": d.Columns, "bitsAllocated": d.BitsAllocated, "bitsStored": d.BitsStored,
  "pixelRepresentation": d.PixelRepresentation, "photometric": d.PhotometricInterpretation,
  "pixelSpacing": f(d.PixelSpacing), "sliceThickness": float(d.SliceThickness), "position": f(d.get("ImagePositionPatient")),
  "orientation": f(d.get("ImageOrientationPatient")), "slope": float(d.get("RescaleSlope", 1)), "intercept": float(d.get("RescaleIntercept", 0)),
  "windows": [{"center": float(d.WindowCenter), "width": float(d.WindowWidth)}] if "WindowCenter" in d else [],
  "study": d.StudyInstanceUID, "series": d.SeriesInstanceUID, "sop": d.SOPInstanceUID, "modality": d.Modality}))`;
    const ref = JSON.parse(execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' }));
    const i = open(path);
    expect({
      rows: i.rows,
      columns: i.columns,
      bitsAllocated: i.bitsAllocated,
      bitsStored: i.bitsStored,
      pixelRepresentation: i.pixelRepresentation,
      photometric: i.photometric,
      pixelSpacing: i.pixelSpacing,
      sliceThickness: i.sliceThickness,
      position: i.position,
      orientation: i.orientation,
      slope: i.rescaleSlope,
      intercept: i.rescaleIntercept,
      windows: i.windows,
      study: i.studyUid,
      series: i.seriesUid,
      sop: i.sopUid,
      modality: i.modality,
    }).toEqual(ref);
  });

  it('groups shuffled files into their studies and series and orders each series along the slice normal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'granula-series-'));
    const expected = JSON.parse(execFileSync(PYTHON, ['-c', MAKE_SERIES, dir], { encoding: 'utf8' })) as Record<string, { study: string; order: string[] }>;
    const studies = groupStudies(readdirSync(dir).map((f) => open(join(dir, f))));
    expect(studies).toHaveLength(2);
    const got = Object.fromEntries(studies.flatMap((s) => s.series.map((series) => [series.uid, { study: s.uid, order: series.instances.map((i) => i.sopUid) }])));
    expect(got).toEqual(expected);
  });

  it('a DICOM file without pixels is refused with its name and what is missing; a file that is not DICOM is not an instance', () => {
    const sr = join(pydicomTestFiles(), 'test-SR.dcm');
    expect(() => open(sr)).toThrow(`${sr}: has no Pixel Data (7FE0,0010): not an image`);
    expect(readInstance(new TextEncoder().encode('not dicom'), 'notes.txt')).toBeUndefined();
  });
});
