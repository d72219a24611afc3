import { nowIso } from '../model/ids';
import { newProjectData } from '../model/projectFactory';
import { getSetting, setSetting, storeWholeProject } from '../store/workspace';

const DEMO_FLAG = 'demoSeeded';

/** On the first start in a browser profile, a ready demo project; never again after, even if deleted. */
export async function seedDemoOnce(): Promise<void> {
  if (await getSetting<boolean>(DEMO_FLAG)) return;
  const now = nowIso();
  const data = newProjectData({ name: 'Demo: pathology cell outlines / デモ：病理 細胞輪郭', template: 'pathology-cells', now });
  data.images.push({
    id: 'demo-slide-1',
    projectId: data.project.id,
    name: 'Synthetic H&E slide (seed 1)',
    modality: 'pathology-wsi',
    source: { kind: 'synthetic', seed: 1 },
    width: 100_000,
    height: 80_000,
    mpp: 0.25,
    order: 0,
    addedAt: now,
  });
  await storeWholeProject(data);
  await setSetting(DEMO_FLAG, true);
}
