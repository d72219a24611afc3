import { nowIso } from '../model/ids';
import { pseudonymise } from '../model/pseudonym';
import { newProjectData } from '../model/projectFactory';
import type { ProjectData } from '../model/projectData';
import type { ImageRecord } from '../model/types';
import { getSetting, setSetting, storeWholeProject } from '../store/workspace';
import type { BlobRow } from '../storage/db';
import { SYNTHETIC_HEIGHT, SYNTHETIC_MPP, SYNTHETIC_WIDTH } from '../synthetic/slide';
import { endoscopyFrame, fundusPhoto } from './demoImages';

const DEMO_FLAG = 'demoSeeded';
/** The demo's patients are invented; their keys are pseudonyms made with a fixed demo key. */
const DEMO_KEY = new Uint8Array(32).fill(7);
const demoPatient = (n: number) => pseudonymise(DEMO_KEY, `DEMO-PATIENT-${String(n).padStart(2, '0')}`);

function image(data: ProjectData, i: number, rest: Pick<ImageRecord, 'id' | 'name' | 'modality' | 'source' | 'width' | 'height'> & Partial<ImageRecord>): ImageRecord {
  return { projectId: data.project.id, order: i, addedAt: data.project.createdAt, ...rest };
}

async function withPictures(data: ProjectData, count: number, make: (i: number) => Promise<Blob>, meta: (i: number) => Omit<ImageRecord, 'projectId' | 'order' | 'addedAt' | 'source'>): Promise<BlobRow[]> {
  const blobs: BlobRow[] = [];
  for (let i = 0; i < count; i++) {
    const blob = await make(i);
    const m = meta(i);
    const blobId = `${data.project.id}-blob-${i}`;
    blobs.push({ blobId, projectId: data.project.id, mime: 'image/png', data: blob });
    data.images.push(image(data, i, { ...m, source: { kind: 'file', blobId, mime: 'image/png', fileName: m.name } }));
  }
  return blobs;
}

/** On the first start in a browser profile, ready demo projects; never again after, even if deleted. */
export async function seedDemoOnce(): Promise<void> {
  if (await getSetting<boolean>(DEMO_FLAG)) return;
  const now = nowIso();

  const pathology = newProjectData({ name: 'Demo: pathology cell outlines / デモ：病理 細胞輪郭', template: 'pathology-cells', now });
  pathology.images.push(
    image(pathology, 0, {
      id: 'demo-slide-1',
      name: 'Synthetic H&E slide (seed 1)',
      modality: 'pathology-wsi',
      source: { kind: 'synthetic', seed: 1 },
      width: SYNTHETIC_WIDTH,
      height: SYNTHETIC_HEIGHT,
      mpp: SYNTHETIC_MPP,
      patientKey: await demoPatient(1),
      caseKey: 'demo-case-01',
    }),
  );
  await storeWholeProject(pathology);

  const patient1 = await demoPatient(1);
  const fundusPatients = [patient1, await demoPatient(2), await demoPatient(3)];
  const endoscopy = newProjectData({ name: 'Demo: endoscopy lesion boxes / デモ：内視鏡 病変ボックス', template: 'endoscopy-lesions', now });
  const endoBlobs = await withPictures(endoscopy, 4, (i) => endoscopyFrame(11 + i, i % 2 === 0), (i) => ({
    id: `demo-frame-${i + 1}`,
    name: `colonoscopy-frame-${i + 1}.png`,
    modality: 'endoscopy',
    width: 640,
    height: 480,
    patientKey: patient1,
  }));
  await storeWholeProject(endoscopy, endoBlobs);

  const fundus = newProjectData({ name: 'Demo: fundus diagnosis / デモ：眼底 診断', template: 'fundus-diagnosis', now });
  const fundusBlobs = await withPictures(fundus, 6, (i) => fundusPhoto(101 + i), (i) => ({
    id: `demo-fundus-${i + 1}`,
    name: `fundus-${i + 1}.png`,
    modality: 'fundus',
    width: 800,
    height: 800,
    patientKey: fundusPatients[i % 3],
  }));
  await storeWholeProject(fundus, fundusBlobs);

  await setSetting(DEMO_FLAG, true);
}
