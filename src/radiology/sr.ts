/**
 * A series' regions as a DICOM Structured Report: TID 1500 "Measurement Report" in an Enhanced SR
 * document (PS3.16), one TID 1410 "Planar ROI Measurements" group per box or polygon, with the
 * region as an image SCOORD on the slice it was drawn on and its area in mm², and one TID 1501
 * "Measurement and Qualitative Evaluation Group" per length line: a TID 300 measurement "Length"
 * (SCT 410668003) in mm, inferred from a two-point POLYLINE on its slice. Written with our own
 * DICOM writer (the one de-identification uses): every value is encoded here, so no dictionary is
 * needed, and the report adds about 6 KB to the radiology chunk where dcmjs would add 300 KB.
 *
 * The report belongs to the study it describes under the project's UIDs, and its patient is the
 * project's pseudonym: it references the files `granula deid` writes with the same key.
 */
import { geometryArea } from '../model/geometry';
import { lineLength } from '../model/measure';
import type { DicomSeriesSource, Geometry } from '../model/types';
import { tag, type DicomDataset } from '../slides/dicomDataset';
import { DEIDENTIFICATION_METHOD_TEXT } from './deid';
import { DicomWriter, partTenFile, textValue, type SequenceElement } from './dicomWriter';

export const ENHANCED_SR_STORAGE = '1.2.840.10008.5.1.4.1.1.88.22';
const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
/** Granula's implementation class UID: a 2.25 UID (PS3.5 B.2) made once for it. */
export const IMPLEMENTATION_CLASS_UID = '2.25.280364938465210941931417347212334157531';

export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

export interface SrRegion {
  /** Stable across exports (the annotation's id): the tracking identifier and UID come from it. */
  id: string;
  geometry: Geometry;
  sopInstanceUid: string;
  frame: number;
  /** What the region is: the class's code (SNOMED CT as SCT), or a local code naming the class. */
  finding: Code;
  /** The tracking identifier users see: the class name and a number. */
  label: string;
}

export interface SrInput {
  series: Pick<DicomSeriesSource, 'studyInstanceUid' | 'seriesInstanceUid' | 'sopClassUid' | 'modality' | 'slices'>;
  patientKey?: string;
  /** Pixel Spacing of the series: row spacing then column spacing, mm. */
  pixelSpacing?: readonly [number, number];
  regions: SrRegion[];
  /** The new report's UIDs (its series and instance), and the device that made it. */
  uids: { series: string; instance: string; device: string; tracking: (regionId: string) => string };
  /** When the report is written (Content Date and Time, Instance Creation). */
  at: Date;
}

const DCM = (value: string, meaning: string): Code => ({ value, scheme: 'DCM', meaning });
const SCT = (value: string, meaning: string): Code => ({ value, scheme: 'SCT', meaning });

const T = (g: number, e: number) => tag(g, e);
type Item = DicomDataset;

function str(ds: Item, g: number, e: number, vr: string, value: string) {
  ds.set(T(g, e), { vr, value: textValue(value, vr) });
}

function seq(ds: Item, g: number, e: number, items: Item[]) {
  ds.set(T(g, e), { vr: 'SQ', value: new Uint8Array(0), items } as SequenceElement);
}

function codeItem(c: Code): Item {
  const ds: Item = new Map();
  str(ds, 0x0008, 0x0100, 'SH', c.value);
  str(ds, 0x0008, 0x0102, 'SH', c.scheme);
  str(ds, 0x0008, 0x0104, 'LO', c.meaning);
  return ds;
}

function floats(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** A DS value: at most 16 characters (PS3.5 6.2). */
export function decimalString(x: number): string {
  for (let digits = 10; digits > 0; digits--) {
    const s = String(Number(x.toPrecision(digits)));
    if (s.length <= 16) return s;
  }
  return String(Math.round(x));
}

/** One content item: relationship, value type and concept name; the caller adds its value. */
function contentItem(relationship: string | null, valueType: string, name: Code | null): Item {
  const ds: Item = new Map();
  if (relationship) str(ds, 0x0040, 0xa010, 'CS', relationship);
  str(ds, 0x0040, 0xa040, 'CS', valueType);
  if (name) seq(ds, 0x0040, 0xa043, [codeItem(name)]);
  return ds;
}

function container(relationship: string | null, name: Code, children: Item[], template?: string): Item {
  const ds = contentItem(relationship, 'CONTAINER', name);
  str(ds, 0x0040, 0xa050, 'CS', 'SEPARATE');
  if (template) {
    const t: Item = new Map();
    str(t, 0x0008, 0x0105, 'CS', 'DCMR');
    str(t, 0x0040, 0xdb00, 'CS', template);
    seq(ds, 0x0040, 0xa504, [t]);
  }
  seq(ds, 0x0040, 0xa730, children);
  return ds;
}

function codeContent(relationship: string, name: Code, value: Code): Item {
  const ds = contentItem(relationship, 'CODE', name);
  seq(ds, 0x0040, 0xa168, [codeItem(value)]);
  return ds;
}

function textContent(relationship: string, name: Code, value: string): Item {
  const ds = contentItem(relationship, 'TEXT', name);
  str(ds, 0x0040, 0xa160, 'UT', value);
  return ds;
}

function uidContent(relationship: string, name: Code, value: string): Item {
  const ds = contentItem(relationship, 'UIDREF', name);
  str(ds, 0x0040, 0xa124, 'UI', value);
  return ds;
}

function numContent(relationship: string, name: Code, value: number, unit: Code): Item {
  const ds = contentItem(relationship, 'NUM', name);
  const measured: Item = new Map();
  str(measured, 0x0040, 0xa30a, 'DS', decimalString(value));
  seq(measured, 0x0040, 0x08ea, [codeItem(unit)]);
  seq(ds, 0x0040, 0xa300, [measured]);
  return ds;
}

function sopReference(sopClassUid: string, sopInstanceUid: string, frame?: number): Item {
  const ref: Item = new Map();
  str(ref, 0x0008, 0x1150, 'UI', sopClassUid);
  str(ref, 0x0008, 0x1155, 'UI', sopInstanceUid);
  if (frame !== undefined) str(ref, 0x0008, 0x1160, 'IS', String(frame));
  return ref;
}

function imageContent(relationship: string, name: Code | null, sopClassUid: string, sopInstanceUid: string, frame?: number): Item {
  const ds = contentItem(relationship, 'IMAGE', name);
  seq(ds, 0x0008, 0x1199, [sopReference(sopClassUid, sopInstanceUid, frame)]);
  return ds;
}

/** The region as SCOORD graphic data: a closed POLYLINE (first point repeated: SCOORD's polygon, PS3.3 C.18.6.1.2), in image pixels with 0,0 the top-left corner of the first pixel (PS3.3 C.18.6.1.2). */
function polygonOf(g: Geometry): number[] {
  if (g.type === 'box') return [g.x, g.y, g.x + g.w, g.y, g.x + g.w, g.y + g.h, g.x, g.y + g.h, g.x, g.y];
  if (g.type === 'polygon') return [...g.points, g.points[0], g.points[1]];
  return [];
}

const UNITS_MM2: Code = { value: 'mm2', scheme: 'UCUM', meaning: 'square millimeter' };
const UNITS_MM: Code = { value: 'mm', scheme: 'UCUM', meaning: 'millimeter' };
/** CID 7470 "Linear Measurement": Length. */
const LENGTH = SCT('410668003', 'Length');
const PROCEDURE: Record<string, Code> = { CT: SCT('77477000', 'Computerized tomography'), MR: SCT('113091000', 'Magnetic resonance imaging') };

const date = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const time = (d: Date) => d.toISOString().slice(11, 19).replace(/:/g, '');

/**
 * Which shapes a report can hold: boxes and polygons (TID 1410 planar regions), and length lines
 * when the Pixel Spacing is known (a length in mm needs it). Points are not planar regions.
 */
export function reportable(g: Geometry | null, pixelSpacing: readonly [number, number] | undefined): boolean {
  return !!g && (g.type === 'box' || g.type === 'polygon' || (g.type === 'line' && !!pixelSpacing));
}

/** The image a SCOORD is selected from: its slice (and frame, in a multi-frame instance). */
function scoordOn(relationship: string, name: Code | null, graphicData: number[], sopClassUid: string, r: SrRegion): Item {
  const scoord = contentItem(relationship, 'SCOORD', name);
  str(scoord, 0x0070, 0x0023, 'CS', 'POLYLINE');
  scoord.set(T(0x0070, 0x0022), { vr: 'FL', value: floats(graphicData) });
  seq(scoord, 0x0040, 0xa730, [imageContent('SELECTED FROM', null, sopClassUid, r.sopInstanceUid, r.frame > 1 ? r.frame : undefined)]);
  return scoord;
}

/** The report as a DICOM Part 10 file (explicit VR little endian). */
export function measurementReport(input: SrInput): Uint8Array {
  const { series, uids } = input;
  const spacing = input.pixelSpacing;
  const regions = input.regions.filter((r) => reportable(r.geometry, spacing));
  const referenced = [...new Map(regions.map((r) => [r.sopInstanceUid, r])).keys()];

  const groups = regions.map((r) => {
    const context = [
      textContent('HAS OBS CONTEXT', DCM('112039', 'Tracking Identifier'), r.label),
      uidContent('HAS OBS CONTEXT', DCM('112040', 'Tracking Unique Identifier'), uids.tracking(r.id)),
      codeContent('CONTAINS', DCM('121071', 'Finding'), r.finding),
    ];
    const g = r.geometry;
    if (g.type === 'line') {
      // TID 300: the length, inferred from the line drawn on the slice (TID 320: an open two-point POLYLINE).
      const length = numContent('CONTAINS', LENGTH, lineLength(g, { unit: 'mm', row: spacing![0], column: spacing![1] }), UNITS_MM);
      seq(length, 0x0040, 0xa730, [scoordOn('INFERRED FROM', null, g.points, series.sopClassUid, r)]);
      return container('CONTAINS', DCM('125007', 'Measurement Group'), [...context, length], '1501');
    }
    const children = [...context, scoordOn('CONTAINS', DCM('111030', 'Image Region'), polygonOf(g), series.sopClassUid, r)];
    if (spacing) children.push(numContent('CONTAINS', SCT('42798000', 'Area'), geometryArea(r.geometry) * spacing[0] * spacing[1], UNITS_MM2));
    return container('CONTAINS', DCM('125007', 'Measurement Group'), children, '1410');
  });

  const root = container(null, DCM('126000', 'Imaging Measurement Report'), [
    codeContent('HAS CONCEPT MOD', DCM('121049', 'Language of Content Item and Descendants'), { value: 'en-US', scheme: 'RFC5646', meaning: 'English (United States)' }),
    codeContent('HAS OBS CONTEXT', DCM('121005', 'Observer Type'), DCM('121007', 'Device')),
    uidContent('HAS OBS CONTEXT', DCM('121012', 'Device Observer UID'), uids.device),
    codeContent('HAS CONCEPT MOD', DCM('121058', 'Procedure reported'), PROCEDURE[series.modality] ?? DCM('113691', 'Imaging procedure')),
    container('CONTAINS', DCM('111028', 'Image Library'), [
      container(
        'CONTAINS',
        DCM('126200', 'Image Library Group'),
        referenced.map((sop) => imageContent('CONTAINS', null, series.sopClassUid, sop)),
      ),
    ]),
    container('CONTAINS', DCM('126010', 'Imaging Measurements'), groups),
  ], '1500');

  const ds: DicomDataset = new Map(root);
  const at = input.at;
  str(ds, 0x0008, 0x0005, 'CS', 'ISO_IR 192');
  str(ds, 0x0008, 0x0012, 'DA', date(at));
  str(ds, 0x0008, 0x0013, 'TM', time(at));
  str(ds, 0x0008, 0x0016, 'UI', ENHANCED_SR_STORAGE);
  str(ds, 0x0008, 0x0018, 'UI', uids.instance);
  // Type 2 attributes of the study and patient, empty: the report adds nothing that identifies.
  for (const [g, e, vr] of [[0x0008, 0x0020, 'DA'], [0x0008, 0x0030, 'TM'], [0x0008, 0x0050, 'SH'], [0x0008, 0x0090, 'PN'], [0x0010, 0x0010, 'PN'], [0x0010, 0x0030, 'DA'], [0x0010, 0x0040, 'CS'], [0x0020, 0x0010, 'SH']] as const) {
    ds.set(T(g, e), { vr, value: new Uint8Array(0) });
  }
  str(ds, 0x0008, 0x0023, 'DA', date(at));
  str(ds, 0x0008, 0x0033, 'TM', time(at));
  str(ds, 0x0008, 0x0060, 'CS', 'SR');
  str(ds, 0x0008, 0x0070, 'LO', 'Granula');
  seq(ds, 0x0008, 0x1111, []);
  str(ds, 0x0010, 0x0020, 'LO', input.patientKey ?? '');
  str(ds, 0x0012, 0x0062, 'CS', 'YES');
  str(ds, 0x0012, 0x0063, 'LO', DEIDENTIFICATION_METHOD_TEXT);
  str(ds, 0x0020, 0x000d, 'UI', series.studyInstanceUid);
  str(ds, 0x0020, 0x000e, 'UI', uids.series);
  str(ds, 0x0020, 0x0011, 'IS', '9000');
  str(ds, 0x0020, 0x0013, 'IS', '1');
  str(ds, 0x0040, 0xa491, 'CS', 'COMPLETE');
  str(ds, 0x0040, 0xa493, 'CS', 'UNVERIFIED');
  seq(ds, 0x0040, 0xa372, []);
  // Every instance the report refers to, by study and series (Hierarchical SOP Instance Reference).
  const evidenceSeries: Item = new Map();
  seq(evidenceSeries, 0x0008, 0x1199, referenced.map((sop) => sopReference(series.sopClassUid, sop)));
  str(evidenceSeries, 0x0020, 0x000e, 'UI', series.seriesInstanceUid);
  const evidence: Item = new Map();
  seq(evidence, 0x0008, 0x1115, [evidenceSeries]);
  str(evidence, 0x0020, 0x000d, 'UI', series.studyInstanceUid);
  seq(ds, 0x0040, 0xa375, referenced.length ? [evidence] : []);

  const meta: DicomDataset = new Map();
  meta.set(T(0x0002, 0x0001), { vr: 'OB', value: Uint8Array.of(0, 1) });
  str(meta, 0x0002, 0x0002, 'UI', ENHANCED_SR_STORAGE);
  str(meta, 0x0002, 0x0003, 'UI', uids.instance);
  str(meta, 0x0002, 0x0010, 'UI', EXPLICIT_VR_LE);
  str(meta, 0x0002, 0x0012, 'UI', IMPLEMENTATION_CLASS_UID);
  str(meta, 0x0002, 0x0013, 'SH', 'GRANULA');
  const body = new DicomWriter(true);
  body.dataset(ds);
  return partTenFile(meta, body.concat());
}
