/**
 * Adding CT/MR series from disk: loaded only when a user adds one (dynamic import from the
 * worklist). The files stay on the user's disk, as slides do; the project keeps each series' slice
 * list under the project's own UIDs, its size and scale, and the patient's pseudonym — never a
 * name, a date, an institution or the scanner's UIDs.
 */
import type { DicomSeriesSource } from '../../model/types';
import { readInstance, type RadiologyInstance } from '../../radiology/instance';
import { describeSeries } from '../../radiology/series';
import { addImages } from '../../store/actions';
import { useDocStore } from '../../store/docStore';
import { newFileKey, rememberSlideFiles } from '../../storage/slideFiles';
import { ensureProjectKey } from '../privacy/projectKey';
import type { PickedSlide, SlideProblem } from '../slides/addSlides';

export interface AddedSeries {
  added: { name: string; slices: number }[];
  problems: SlideProblem[];
  warnings: string[];
}

/** The name a series is listed under: modality, series number and slice count (no description: it may identify). */
export function seriesName(source: Pick<DicomSeriesSource, 'modality' | 'seriesNumber' | 'slices'>): string {
  const number = source.seriesNumber !== undefined ? ` ${source.seriesNumber}` : '';
  return `${source.modality || 'DICOM'} series${number} (${source.slices.length})`;
}

/**
 * Reads the picked files' headers, groups them into series and adds each series to the open
 * project. A file that is not a DICOM image is reported with the reason and left out; the series
 * around it are still added. A series the project already has (same UIDs under its key) is not
 * added twice.
 */
export async function addLocalSeries(picked: readonly PickedSlide[]): Promise<AddedSeries> {
  const doc = useDocStore.getState().doc;
  if (!doc) throw new Error('no project is open');
  const key = await ensureProjectKey(doc.project.id);
  const problems: SlideProblem[] = [];
  const warnings: string[] = [];
  const added: AddedSeries['added'] = [];
  const ready: Parameters<typeof addImages>[0] = [];
  const known = new Set([...doc.images.values()].flatMap((im) => (im.source.kind === 'dicom-series' ? [im.source.seriesInstanceUid] : [])));
  for (const pick of picked) {
    const instances: RadiologyInstance[] = [];
    const files: File[] = [];
    for (const file of pick.files) {
      if (file.name.startsWith('.')) continue;
      try {
        const instance = readInstance(new Uint8Array(await file.arrayBuffer()), file.name);
        if (!instance) {
          problems.push({ name: file.name, message: 'is not a DICOM file (no DICM after the 128-byte preamble)' });
          continue;
        }
        instances.push(instance);
        files.push(file);
      } catch (e) {
        problems.push({ name: file.name, message: (e as Error).message.replace(`${file.name}: `, '') });
      }
    }
    if (!instances.length) continue;
    let series;
    try {
      series = await describeSeries(instances, key);
    } catch (e) {
      problems.push({ name: pick.files[0].name, message: (e as Error).message });
      continue;
    }
    for (const s of series) {
      warnings.push(...s.warnings);
      if (known.has(s.source.seriesInstanceUid)) {
        problems.push({ name: seriesName(s.source), message: 'is already in this project' });
        continue;
      }
      known.add(s.source.seriesInstanceUid);
      const members = s.members.map((i) => files[i]);
      const fileKey = newFileKey();
      // A folder's handle reaches every series in it: each series finds its own files by UID when opened.
      await rememberSlideFiles(fileKey, members, pick.handles);
      const name = seriesName(s.source);
      ready.push({
        name,
        modality: 'radiology',
        source: { ...s.source, fileKey, fileNames: members.map((f) => f.name), bytes: members.reduce((sum, f) => sum + f.size, 0) },
        width: s.columns,
        height: s.rows,
        ...(s.mpp ? { mpp: s.mpp } : {}),
        ...(s.patientKey ? { patientKey: s.patientKey } : {}),
      });
      added.push({ name, slices: s.source.slices.length });
    }
  }
  if (ready.length) addImages(ready);
  return { added, problems, warnings };
}
