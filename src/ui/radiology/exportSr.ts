/**
 * "Export DICOM SR" of one series: its boxes, polygons and lengths (those this person may see) as a TID 1500
 * measurement report, downloaded and written to the project's export log and audit trail like
 * every other export. A patient who declined secondary use is not exported.
 */
import { englishCount } from '../../model/words';
import type { DicomSeriesSource, ImageRecord, LabelClass } from '../../model/types';
import { UidMapper } from '../../radiology/deid';
import { measurementReport, reportable, type Code, type SrRegion } from '../../radiology/sr';
import { schemaById, updateProject } from '../../store/actions';
import type { DocState } from '../../store/docState';
import { visibleAnnotationsOn } from '../../store/selectors';
import { downloadBlob, safeFileName } from '../download';
import { ensureProjectKey } from '../privacy/projectKey';

/** A class as an SR code: its SNOMED CT code where it has one, else a local code (99GRANULA) naming it. */
function findingOf(c: LabelClass | undefined, classId: string): Code {
  if (c?.code?.system === 'SNOMED CT') return { value: c.code.value, scheme: 'SCT', meaning: c.name.en || c.name.ja };
  return { value: classId.slice(0, 16), scheme: '99GRANULA', meaning: (c?.name.en || c?.name.ja || classId).slice(0, 64) };
}

function randomUid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `2.25.${b.reduce((n, x) => (n << 8n) | BigInt(x), 0n)}`;
}

/** Returns how many regions and lengths were written; throws with the reason when there is nothing to export or the patient opted out. */
export async function exportSeriesSr(
  doc: DocState,
  image: ImageRecord & { source: DicomSeriesSource },
  annotatorId: string | undefined,
  pixelSpacing: readonly [number, number] | undefined,
): Promise<{ regions: number; lengths: number }> {
  if (image.patientKey && doc.project.optOut.includes(image.patientKey)) throw new Error('this patient declined secondary use: the series is not exported');
  const key = await ensureProjectKey(doc.project.id);
  const uids = new UidMapper(key);
  const counts = new Map<string, number>();
  const regions: SrRegion[] = [];
  for (const a of visibleAnnotationsOn(doc, image.id, annotatorId)) {
    if (!a.slice || !reportable(a.geometry, pixelSpacing)) continue;
    const c = schemaById(doc, a.schemaId, a.schemaVersion)?.classes.find((x) => x.id === a.classId);
    const n = (counts.get(a.classId) ?? 0) + 1;
    counts.set(a.classId, n);
    regions.push({ id: a.id, geometry: a.geometry!, sopInstanceUid: a.slice.sopInstanceUid, frame: a.slice.frame, finding: findingOf(c, a.classId), label: `${c?.name.en || a.classId} ${n}` });
  }
  if (!regions.length) throw new Error(pixelSpacing ? 'no box, polygon or length on this series to report' : 'no box or polygon on this series to report (lengths need Pixel Spacing)');
  const lengths = regions.filter((r) => r.geometry.type === 'line').length;
  const tracking = new Map<string, string>();
  for (const r of regions) tracking.set(r.id, await uids.map(`granula-tracking\u0000${r.id}`));
  const bytes = measurementReport({
    series: image.source,
    patientKey: image.patientKey,
    pixelSpacing,
    regions,
    uids: {
      // One SR series per image series, so repeated exports stay together; each report is new.
      series: await uids.map(`granula-sr-series\u0000${image.source.seriesInstanceUid}`),
      instance: randomUid(),
      device: await uids.map(`granula-device\u0000${doc.project.id}`),
      tracking: (id) => tracking.get(id)!,
    },
    at: new Date(),
  });
  downloadBlob(`${safeFileName(image.name)}.sr.dcm`, [bytes as Uint8Array<ArrayBuffer>], 'application/dicom');
  updateProject({ exportLog: [...doc.project.exportLog, { at: new Date().toISOString(), format: 'dicom-sr', images: 1, annotations: regions.length, excludedImages: 0 }] }, 'Log export', {
    action: 'export',
    detail: `dicom-sr: 1 image, ${englishCount(regions.length - lengths, 'region')}, ${englishCount(lengths, 'length')}`,
  });
  return { regions: regions.length - lengths, lengths };
}
