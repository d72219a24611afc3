/**
 * CT and MR instances from DICOM files: what a viewer needs to place, order and window a slice,
 * and the grouping of instances into studies and series. Pure code: the files' bytes come in.
 */
import { number, numbers, parseDicomFile, tag, text, texts, type DicomFile } from '../slides/dicomDataset';
import { SlideFormatError } from '../slides/types';

export interface Window {
  center: number;
  width: number;
}

export interface RadiologyInstance {
  /** The file's name, for messages. */
  name: string;
  file: DicomFile;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  modality: string;
  instanceNumber: number | undefined;
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: number;
  /** 0: samples interleaved pixel by pixel; 1: one plane per sample (native Pixel Data only). */
  planarConfiguration: number;
  photometric: string;
  bitsAllocated: number;
  bitsStored: number;
  /** 1: two's complement; 0: unsigned. */
  pixelRepresentation: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  windows: Window[];
  /** Row spacing then column spacing, mm. */
  pixelSpacing: [number, number] | undefined;
  sliceThickness: number | undefined;
  position: [number, number, number] | undefined;
  /** Row direction cosines then column direction cosines. */
  orientation: [number, number, number, number, number, number] | undefined;
}

export interface RadiologySeries {
  uid: string;
  modality: string;
  /** In slice order: along the slice normal when the geometry says it, else by Instance Number. */
  instances: RadiologyInstance[];
}

export interface RadiologyStudy {
  uid: string;
  series: RadiologySeries[];
}

const T = {
  studyUid: tag(0x0020, 0x000d),
  seriesUid: tag(0x0020, 0x000e),
  sopUid: tag(0x0008, 0x0018),
  modality: tag(0x0008, 0x0060),
  instanceNumber: tag(0x0020, 0x0013),
  rows: tag(0x0028, 0x0010),
  columns: tag(0x0028, 0x0011),
  frames: tag(0x0028, 0x0008),
  samplesPerPixel: tag(0x0028, 0x0002),
  planarConfiguration: tag(0x0028, 0x0006),
  photometric: tag(0x0028, 0x0004),
  bitsAllocated: tag(0x0028, 0x0100),
  bitsStored: tag(0x0028, 0x0101),
  pixelRepresentation: tag(0x0028, 0x0103),
  slope: tag(0x0028, 0x1053),
  intercept: tag(0x0028, 0x1052),
  windowCenter: tag(0x0028, 0x1050),
  windowWidth: tag(0x0028, 0x1051),
  pixelSpacing: tag(0x0028, 0x0030),
  sliceThickness: tag(0x0018, 0x0050),
  position: tag(0x0020, 0x0032),
  orientation: tag(0x0020, 0x0037),
};

function fixed<N extends number>(values: number[], n: N): number[] | undefined {
  return values.length === n && values.every(Number.isFinite) ? values : undefined;
}

/** Undefined for a file that is not DICOM; throws, naming the file and what is missing, for one that is but has no image. */
export function readInstance(bytes: Uint8Array, name: string): RadiologyInstance | undefined {
  const file = parseDicomFile(bytes, name);
  if (!file) return undefined;
  const ds = file.header.dataset;
  const required = (t: number, what: string) => {
    const v = number(ds, t);
    if (v === undefined) throw new SlideFormatError(`${name}: ${what} is missing`);
    return v;
  };
  if (!file.header.pixelData) throw new SlideFormatError(`${name}: has no Pixel Data (7FE0,0010): not an image`);
  const centers = numbers(ds, T.windowCenter);
  const widths = numbers(ds, T.windowWidth);
  return {
    name,
    file,
    studyUid: text(ds, T.studyUid) ?? '',
    seriesUid: text(ds, T.seriesUid) ?? '',
    sopUid: text(ds, T.sopUid) ?? '',
    modality: text(ds, T.modality) ?? '',
    instanceNumber: number(ds, T.instanceNumber),
    rows: required(T.rows, '(0028,0010) Rows'),
    columns: required(T.columns, '(0028,0011) Columns'),
    frames: number(ds, T.frames) ?? 1,
    samplesPerPixel: number(ds, T.samplesPerPixel) ?? 1,
    planarConfiguration: number(ds, T.planarConfiguration) ?? 0,
    photometric: texts(ds, T.photometric)[0] ?? 'MONOCHROME2',
    bitsAllocated: required(T.bitsAllocated, '(0028,0100) Bits Allocated'),
    bitsStored: number(ds, T.bitsStored) ?? required(T.bitsAllocated, '(0028,0100) Bits Allocated'),
    pixelRepresentation: number(ds, T.pixelRepresentation) ?? 0,
    rescaleSlope: number(ds, T.slope) ?? 1,
    rescaleIntercept: number(ds, T.intercept) ?? 0,
    windows: centers.flatMap((center, i) => (Number.isFinite(center) && widths[i] > 0 ? [{ center, width: widths[i] }] : [])),
    pixelSpacing: fixed(numbers(ds, T.pixelSpacing), 2) as [number, number] | undefined,
    sliceThickness: number(ds, T.sliceThickness),
    position: fixed(numbers(ds, T.position), 3) as [number, number, number] | undefined,
    orientation: fixed(numbers(ds, T.orientation), 6) as RadiologyInstance['orientation'],
  };
}

/** Where a slice lies along its normal (row × column direction): the key that orders a volume. */
export function sliceLocation(instance: RadiologyInstance): number | undefined {
  const { position: p, orientation: o } = instance;
  if (!p || !o) return undefined;
  const normal = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
  return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
}

function orderSlices(instances: RadiologyInstance[]): RadiologyInstance[] {
  const located = instances.map((instance) => ({ instance, at: sliceLocation(instance) }));
  // Positions order a volume only when every slice has one; otherwise the scanner's numbering does.
  if (located.every((l) => l.at !== undefined)) return located.sort((a, b) => a.at! - b.at! || (a.instance.instanceNumber ?? 0) - (b.instance.instanceNumber ?? 0)).map((l) => l.instance);
  return [...instances].sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0) || (a.name < b.name ? -1 : 1));
}

/** Instances gathered by Study Instance UID, then Series Instance UID, each series in slice order. */
export function groupStudies(instances: readonly RadiologyInstance[]): RadiologyStudy[] {
  const studies = new Map<string, Map<string, RadiologyInstance[]>>();
  for (const instance of instances) {
    const series = studies.get(instance.studyUid) ?? new Map<string, RadiologyInstance[]>();
    studies.set(instance.studyUid, series);
    const members = series.get(instance.seriesUid) ?? [];
    series.set(instance.seriesUid, members);
    members.push(instance);
  }
  return [...studies].map(([uid, series]) => ({
    uid,
    series: [...series].map(([seriesUid, members]) => ({ uid: seriesUid, modality: members[0].modality, instances: orderSlices(members) })),
  }));
}
