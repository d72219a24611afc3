/**
 * CT/MR series as a project holds them: read from the files' headers, every UID replaced by the
 * project's own (the same `2.25.…` UIDs `granula deid` writes under the project key) and the
 * Patient ID turned into the project's pseudonym. Nothing else of the header is kept: names, dates,
 * institutions, descriptions and the scanner's UIDs never leave this function.
 * Pure code: the files' bytes come in, as for `readInstance`.
 */
import { pseudonymise } from '../model/pseudonym';
import type { DicomSeriesSource, DicomSliceRef } from '../model/types';
import { number, tag, text } from '../slides/dicomDataset';
import { UidMapper } from './deid';
import { groupStudies, readInstance, sliceLocation, type RadiologyInstance } from './instance';

const PATIENT_ID = tag(0x0010, 0x0020);
const SOP_CLASS_UID = tag(0x0008, 0x0016);
const SERIES_NUMBER = tag(0x0020, 0x0011);

/** What adding a series to a project stores (beside the files' names, size and how to reach them again). */
export interface SeriesEntry {
  source: Omit<DicomSeriesSource, 'fileKey' | 'fileNames' | 'bytes'>;
  /** Indexes into the instances given, in slice order: the files this series is made of. */
  members: number[];
  columns: number;
  rows: number;
  /** µm per pixel along a row (Pixel Spacing's column spacing), when the header gives it. */
  mpp?: number;
  patientKey?: string;
  /** For the user: a slice flagged as having burned-in text, a missing Patient ID, an uneven slice gap. */
  warnings: string[];
}

const BURNED_IN_ANNOTATION = tag(0x0028, 0x0301);

/** Every frame of every instance, in the series' order: multi-frame instances give one slice a frame. */
function slicesOf(ordered: readonly RadiologyInstance[], mapped: Map<string, string>): DicomSliceRef[] {
  return ordered.flatMap((i) => Array.from({ length: i.frames }, (_, f) => ({ sopInstanceUid: mapped.get(i.sopUid)!, frame: f + 1 })));
}

/**
 * Groups instances into series and describes each as the project stores it. `key` is the project's
 * pseudonym key. Instances of one series with different Patient IDs are refused (naming both files):
 * a series belongs to one patient.
 */
export async function describeSeries(instances: readonly RadiologyInstance[], key: Uint8Array): Promise<SeriesEntry[]> {
  const uids = new UidMapper(key);
  const index = new Map(instances.map((inst, i) => [inst, i]));
  const out: SeriesEntry[] = [];
  for (const study of groupStudies(instances)) {
    for (const series of study.series) {
      const first = series.instances[0];
      const ds = first.file.header.dataset;
      const warnings: string[] = [];
      const clearIds = new Set(series.instances.map((i) => text(i.file.header.dataset, PATIENT_ID) ?? ''));
      if (clearIds.size > 1) {
        const other = series.instances.find((i) => (text(i.file.header.dataset, PATIENT_ID) ?? '') !== (text(ds, PATIENT_ID) ?? ''))!;
        throw new Error(`${other.name}: its Patient ID differs from that of ${first.name} in the same series`);
      }
      const clearId = [...clearIds][0];
      if (!clearId) warnings.push(`${first.name}: has no Patient ID: the series is linked to no patient`);
      const burned = series.instances.filter((i) => text(i.file.header.dataset, BURNED_IN_ANNOTATION)?.toUpperCase() === 'YES');
      if (burned.length) warnings.push(`${burned[0].name}: Burned In Annotation is YES: identifying text may be in the pixels`);
      const sizes = new Set(series.instances.map((i) => `${i.columns}×${i.rows}`));
      if (sizes.size > 1) throw new Error(`${series.instances.find((i) => i.columns !== first.columns || i.rows !== first.rows)!.name}: its size differs from ${first.columns}×${first.rows} of ${first.name} in the same series`);
      const mapped = new Map<string, string>();
      for (const i of series.instances) {
        if (!i.sopUid) throw new Error(`${i.name}: has no SOP Instance UID (0008,0018)`);
        if (mapped.has(i.sopUid)) throw new Error(`${i.name}: the same instance (SOP Instance UID) as another file chosen`);
        mapped.set(i.sopUid, await uids.map(i.sopUid));
      }
      const gaps = series.instances.map(sliceLocation).flatMap((z, k, all) => (k && z !== undefined && all[k - 1] !== undefined ? [z - all[k - 1]!] : []));
      if (gaps.length > 1 && Math.max(...gaps) - Math.min(...gaps) > 0.01 * Math.max(...gaps.map(Math.abs))) warnings.push(`${first.name}: slices are not evenly spaced (a slice may be missing)`);
      const spacing = first.pixelSpacing;
      const seriesNumber = number(ds, SERIES_NUMBER);
      out.push({
        source: {
          kind: 'dicom-series',
          modality: first.modality,
          sopClassUid: text(ds, SOP_CLASS_UID) ?? '',
          studyInstanceUid: await uids.map(study.uid),
          seriesInstanceUid: await uids.map(series.uid),
          ...(seriesNumber !== undefined ? { seriesNumber } : {}),
          slices: slicesOf(series.instances, mapped),
        },
        members: series.instances.map((i) => index.get(i)!),
        columns: first.columns,
        rows: first.rows,
        ...(spacing ? { mpp: spacing[1] * 1000 } : {}),
        ...(clearId ? { patientKey: await pseudonymise(key, clearId) } : {}),
        warnings,
      });
    }
  }
  return out;
}

/** One slice as the viewer reads it: the instance and its frame (0-based, as `decodeFrame` takes it). */
export interface PlacedSlice {
  instance: RadiologyInstance;
  frame: number;
}

/** A file of the series as the caller holds it (a browser File, a path): its name, and how to read it. */
export interface SeriesFile {
  name: string;
  read(): Promise<Uint8Array>;
}

/**
 * The stored slice list matched with the files chosen again, one slice at a time: slice k is read
 * from the file stored under its instance's name (the project keeps names in slice order), and
 * accepted only when its SOP Instance UID maps to the stored one under the project's key. Only when
 * a name does not lead to its instance (files renamed, two folders with the same names) is every
 * file read to find it. So the first slice shows after one file is read, not the whole series.
 */
export class SeriesReader {
  private readonly uids: UidMapper;
  private readonly byName = new Map<string, SeriesFile[]>();
  private readonly instanceOf: number[];
  private readonly found = new Map<string, Promise<RadiologyInstance | undefined>>();
  private scanned: Promise<Map<string, RadiologyInstance>> | null = null;

  constructor(
    private readonly source: Pick<DicomSeriesSource, 'slices' | 'fileNames'>,
    private readonly files: readonly SeriesFile[],
    key: Uint8Array,
  ) {
    this.uids = new UidMapper(key);
    for (const f of files) this.byName.set(f.name, [...(this.byName.get(f.name) ?? []), f]);
    const order = new Map<string, number>();
    this.instanceOf = source.slices.map((s) => {
      if (!order.has(s.sopInstanceUid)) order.set(s.sopInstanceUid, order.size);
      return order.get(s.sopInstanceUid)!;
    });
  }

  private async readOne(f: SeriesFile): Promise<RadiologyInstance | undefined> {
    const instance = readInstance(await f.read(), f.name);
    return instance;
  }

  /** Every file read, by project UID: the fallback when names do not lead to instances. */
  private scan(): Promise<Map<string, RadiologyInstance>> {
    return (this.scanned ??= (async () => {
      const byUid = new Map<string, RadiologyInstance>();
      for (const f of this.files) {
        const i = await this.readOne(f).catch(() => undefined);
        if (i?.sopUid) byUid.set(await this.uids.map(i.sopUid), i);
      }
      return byUid;
    })());
  }

  private instance(uid: string, name: string | undefined): Promise<RadiologyInstance | undefined> {
    let p = this.found.get(uid);
    if (!p) {
      p = (async () => {
        for (const f of this.byName.get(name ?? '') ?? []) {
          const i = await this.readOne(f).catch(() => undefined);
          if (i?.sopUid && (await this.uids.map(i.sopUid)) === uid) return i;
        }
        return (await this.scan()).get(uid);
      })();
      this.found.set(uid, p);
    }
    return p;
  }

  async slice(k: number): Promise<PlacedSlice> {
    const s = this.source.slices[k];
    const instance = await this.instance(s.sopInstanceUid, this.source.fileNames[this.instanceOf[k]]);
    const total = this.source.slices.length;
    if (!instance) throw new Error(`slice ${k + 1} of ${total} (instance ${s.sopInstanceUid}) is not among the files chosen: was a file moved, or is this another project's key?`);
    if (s.frame > instance.frames) throw new Error(`${instance.name}: has ${instance.frames} frames, slice ${k + 1} is frame ${s.frame}`);
    return { instance, frame: s.frame - 1 };
  }
}

/** Every slice placed (for tests and exports): see SeriesReader. */
export async function placeSlices(source: Pick<DicomSeriesSource, 'slices' | 'fileNames'>, files: readonly SeriesFile[], key: Uint8Array): Promise<PlacedSlice[]> {
  const reader = new SeriesReader(source, files, key);
  const out: PlacedSlice[] = [];
  for (let k = 0; k < source.slices.length; k++) out.push(await reader.slice(k));
  return out;
}
