// The SR export read back by pydicom (the content tree walked item by item) and checked by
// dicom3tools' dciodvfy, which validates the Enhanced SR IOD and its template content.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON } from '../../tests/slides/makeSlides';
import { decimalString, measurementReport, type SrInput } from './sr';

const dir = mkdtempSync(join(tmpdir(), 'granula-sr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slices = ['2.25.101', '2.25.102', '2.25.103'].map((sopInstanceUid) => ({ sopInstanceUid, frame: 1 }));
const input: SrInput = {
  series: { studyInstanceUid: '2.25.11', seriesInstanceUid: '2.25.12', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', modality: 'CT', slices },
  patientKey: 'pk-mfrggzdfmztwq2lknnwwk3tpob',
  pixelSpacing: [0.5, 0.8],
  regions: [
    { id: 'a1', geometry: { type: 'box', x: 10, y: 20, w: 30, h: 40 }, sopInstanceUid: '2.25.102', frame: 1, finding: { value: '27925004', scheme: 'SCT', meaning: 'Nodule' }, label: 'Nodule 1' },
    { id: 'a2', geometry: { type: 'polygon', points: [0, 0, 4, 0, 4, 3] }, sopInstanceUid: '2.25.103', frame: 1, finding: { value: 'mass', scheme: '99GRANULA', meaning: '腫瘤 Mass' }, label: '腫瘤 1' },
    { id: 'a3', geometry: { type: 'point', x: 5, y: 5 }, sopInstanceUid: '2.25.101', frame: 1, finding: { value: '27925004', scheme: 'SCT', meaning: 'Nodule' }, label: 'Nodule 2' },
    // Down a column 30 px, and a diagonal of 15 px along a row and 10 px down a column.
    { id: 'a4', geometry: { type: 'line', points: [50, 10, 50, 40] }, sopInstanceUid: '2.25.101', frame: 1, finding: { value: '27925004', scheme: 'SCT', meaning: 'Nodule' }, label: 'Nodule 3' },
    { id: 'a5', geometry: { type: 'line', points: [20, 30, 35, 40] }, sopInstanceUid: '2.25.102', frame: 1, finding: { value: '27925004', scheme: 'SCT', meaning: 'Nodule' }, label: 'Nodule 1' },
  ],
  uids: { series: '2.25.21', instance: '2.25.22', device: '2.25.23', tracking: (id) => `2.25.3${id.slice(1)}` },
  at: new Date('2026-11-30T09:30:15Z'),
};

const WALK = `
import json, sys, pydicom
d = pydicom.dcmread(sys.argv[1])
def walk(items):
    out = []
    for it in items:
        e = {"rel": it.get("RelationshipType"), "type": it.ValueType, "name": it.ConceptNameCodeSequence[0].CodeMeaning if "ConceptNameCodeSequence" in it else None}
        if it.ValueType == "TEXT": e["value"] = it.TextValue
        if it.ValueType == "UIDREF": e["value"] = it.UID
        if it.ValueType == "CODE": e["value"] = [it.ConceptCodeSequence[0].CodeValue, it.ConceptCodeSequence[0].CodingSchemeDesignator, it.ConceptCodeSequence[0].CodeMeaning]
        if it.ValueType == "NUM": e["value"] = [float(it.MeasuredValueSequence[0].NumericValue), it.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue]
        if it.ValueType == "SCOORD": e["value"] = [it.GraphicType, [float(v) for v in it.GraphicData]]
        if it.ValueType == "IMAGE": e["value"] = [it.ReferencedSOPSequence[0].ReferencedSOPClassUID, it.ReferencedSOPSequence[0].ReferencedSOPInstanceUID]
        if "ContentTemplateSequence" in it: e["template"] = it.ContentTemplateSequence[0].TemplateIdentifier
        if "ContentSequence" in it: e["children"] = walk(it.ContentSequence)
        out.append(e)
    return out
print(json.dumps({"sopClass": d.SOPClassUID, "study": d.StudyInstanceUID, "patient": d.PatientID, "modality": d.Modality,
  "template": d.ContentTemplateSequence[0].TemplateIdentifier, "title": d.ConceptNameCodeSequence[0].CodeMeaning,
  "evidence": [s.ReferencedSOPInstanceUID for s in d.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence],
  "content": walk(d.ContentSequence)}, ensure_ascii=False))
`;

describe('DICOM SR measurement report (TID 1500)', () => {
  const path = join(dir, 'report.dcm');
  writeFileSync(path, measurementReport(input));

  it('is read by pydicom: one planar ROI group per box or polygon, on its slice, with the area in mm² worked by hand', () => {
    const r = JSON.parse(execFileSync(PYTHON, ['-c', WALK, path], { encoding: 'utf8' }));
    expect(r).toMatchObject({ sopClass: '1.2.840.10008.5.1.4.1.1.88.22', study: '2.25.11', patient: 'pk-mfrggzdfmztwq2lknnwwk3tpob', modality: 'SR', template: '1500', title: 'Imaging Measurement Report' });
    expect(r.evidence).toEqual(['2.25.102', '2.25.103', '2.25.101']);
    const measurements = r.content.find((c: { name: string }) => c.name === 'Imaging Measurements');
    expect(measurements.children).toHaveLength(4);
    const [box, polygon] = measurements.children;
    expect(box).toMatchObject({ rel: 'CONTAINS', type: 'CONTAINER', name: 'Measurement Group', template: '1410' });
    expect(box.children).toEqual([
      { rel: 'HAS OBS CONTEXT', type: 'TEXT', name: 'Tracking Identifier', value: 'Nodule 1' },
      { rel: 'HAS OBS CONTEXT', type: 'UIDREF', name: 'Tracking Unique Identifier', value: '2.25.31' },
      { rel: 'CONTAINS', type: 'CODE', name: 'Finding', value: ['27925004', 'SCT', 'Nodule'] },
      {
        rel: 'CONTAINS', type: 'SCOORD', name: 'Image Region',
        value: ['POLYLINE', [10, 20, 40, 20, 40, 60, 10, 60, 10, 20]],
        children: [{ rel: 'SELECTED FROM', type: 'IMAGE', name: null, value: ['1.2.840.10008.5.1.4.1.1.2', '2.25.102'] }],
      },
      // 30 × 40 pixels of 0.8 mm (along a row) by 0.5 mm (down a column): 24 mm × 20 mm = 480 mm².
      { rel: 'CONTAINS', type: 'NUM', name: 'Area', value: [480, 'mm2'] },
    ]);
    // A right triangle of legs 4 and 3 pixels: 6 px² · 0.4 mm² = 2.4 mm²; UTF-8 text kept.
    expect(polygon.children[0].value).toBe('腫瘤 1');
    expect(polygon.children[4].value[0]).toBeCloseTo(2.4, 6);
    expect(polygon.children[3].value[1]).toEqual([0, 0, 4, 0, 4, 3, 0, 0]);
  });

  it('reports each length line as a TID 1501 group: Length in mm worked by hand, inferred from a two-point POLYLINE on its slice', () => {
    const r = JSON.parse(execFileSync(PYTHON, ['-c', WALK, path], { encoding: 'utf8' }));
    const [, , down, diagonal] = r.content.find((c: { name: string }) => c.name === 'Imaging Measurements').children;
    expect(down).toMatchObject({ rel: 'CONTAINS', type: 'CONTAINER', name: 'Measurement Group', template: '1501' });
    expect(down.children).toEqual([
      { rel: 'HAS OBS CONTEXT', type: 'TEXT', name: 'Tracking Identifier', value: 'Nodule 3' },
      { rel: 'HAS OBS CONTEXT', type: 'UIDREF', name: 'Tracking Unique Identifier', value: '2.25.34' },
      { rel: 'CONTAINS', type: 'CODE', name: 'Finding', value: ['27925004', 'SCT', 'Nodule'] },
      {
        // 30 px down a column, rows 0.5 mm apart: 15 mm.
        rel: 'CONTAINS', type: 'NUM', name: 'Length', value: [15, 'mm'],
        children: [
          {
            rel: 'INFERRED FROM', type: 'SCOORD', name: null,
            value: ['POLYLINE', [50, 10, 50, 40]],
            children: [{ rel: 'SELECTED FROM', type: 'IMAGE', name: null, value: ['1.2.840.10008.5.1.4.1.1.2', '2.25.101'] }],
          },
        ],
      },
    ]);
    // 15 px along a row (columns 0.8 mm apart: 12 mm) and 10 px down (rows 0.5 mm apart: 5 mm): √(12² + 5²) = 13 mm.
    expect(diagonal.children[3]).toMatchObject({ name: 'Length', value: [13, 'mm'] });
    expect(diagonal.children[3].children[0].value).toEqual(['POLYLINE', [20, 30, 35, 40]]);
  });

  it('leaves lengths out when the series has no Pixel Spacing (a length in mm needs it)', () => {
    const bare = join(dir, 'bare.dcm');
    writeFileSync(bare, measurementReport({ ...input, pixelSpacing: undefined }));
    const r = JSON.parse(execFileSync(PYTHON, ['-c', WALK, bare], { encoding: 'utf8' }));
    const groups = r.content.find((c: { name: string }) => c.name === 'Imaging Measurements').children;
    expect(groups.map((g: { template: string }) => g.template)).toEqual(['1410', '1410']);
  });

  it('passes dciodvfy without an error', () => {
    const r = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
    const errors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.startsWith('Error'));
    expect(errors).toEqual([]);
  });

  it('writes decimal strings within the 16 characters DS allows', () => {
    expect(decimalString(2.4000000000000004)).toBe('2.4');
    expect(decimalString(1 / 3).length).toBeLessThanOrEqual(16);
    expect(decimalString(123456789.123456789)).toBe('123456789.1');
  });
});
