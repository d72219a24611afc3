import type { ProjectData } from '../model/projectData';
import { templateSchema } from '../model/templates';
import type { Annotation, Geometry, ImageRecord, Modality } from '../model/types';

/**
 * Small, fully deterministic projects built from the schema templates, for tests of anything that
 * reads or writes projects: polygons with a hole (pathology), boxes with attributes (endoscopy),
 * image-level labels with a grade (fundus). Two annotators by default, so agreement has pairs.
 */
export type SampleTemplate = 'pathology-cells' | 'endoscopy-lesions' | 'fundus-diagnosis';

export interface SampleOptions {
  annotators?: string[];
  images?: number;
  now?: string;
}

const NOW = '2026-02-01T09:00:00.000Z';

const IMAGE_KIND: Record<SampleTemplate, { modality: Modality; prefix: string; ext: string; width: number; height: number }> = {
  'pathology-cells': { modality: 'pathology-wsi', prefix: 'slide', ext: 'svs', width: 40_000, height: 30_000 },
  'endoscopy-lesions': { modality: 'endoscopy', prefix: 'frame', ext: 'jpg', width: 1280, height: 1024 },
  'fundus-diagnosis': { modality: 'fundus', prefix: 'fundus', ext: 'jpg', width: 2048, height: 1536 },
};

/** A hexagon around (cx, cy): a nucleus-sized outline with non-integer coordinates. */
function hexagon(cx: number, cy: number, r: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 6; k++) out.push(cx + r * Math.cos((k * Math.PI) / 3), cy + r * Math.sin((k * Math.PI) / 3));
  return out;
}

function shapesFor(template: SampleTemplate, image: number, rater: number): { classId: string; geometry: Geometry | null; attributes?: Annotation['attributes']; grade?: number; uncertain?: boolean; note?: string }[] {
  const d = rater * 1.5; // raters disagree a little, as real ones do
  switch (template) {
    case 'pathology-cells':
      return [
        { classId: 'tumor-cell', geometry: { type: 'polygon', points: hexagon(1000.25 + d, 1200.5, 12) } },
        { classId: 'tumor-cell', geometry: { type: 'polygon', points: hexagon(1040 + d, 1210, 11.5) } },
        { classId: 'lymphocyte', geometry: { type: 'polygon', points: hexagon(1100, 1300 + d, 6) }, uncertain: rater === 1 },
        {
          classId: 'tumor-region',
          geometry: { type: 'polygon', points: [800, 900, 1400 + d, 900, 1400 + d, 1600, 800, 1600], holes: [[1000, 1000, 1100, 1000, 1100, 1100, 1000, 1100]] },
          note: image === 0 ? 'hole is a vessel lumen' : undefined,
        },
      ];
    case 'endoscopy-lesions':
      return [
        { classId: 'polyp', geometry: { type: 'box', x: 320 + d, y: 240, w: 180.5, h: 150 }, attributes: { paris: '0-Is', nice: '2', size_mm: 8 } },
        { classId: 'cancer', geometry: { type: 'box', x: 700, y: 500 + d, w: 90, h: 120 }, attributes: { paris: '0-IIc', size_mm: 12.5 }, uncertain: true, note: 'NBI unclear' },
        ...(image === 0 ? [{ classId: 'other-lesion', geometry: { type: 'box' as const, x: 10, y: 20, w: 30, h: 40 }, attributes: { comment: 'bleeding, "old"' } }] : []),
      ];
    case 'fundus-diagnosis': {
      const classes = ['normal', 'diabetic-retinopathy', 'glaucoma-suspect', 'diabetic-retinopathy'];
      const classId = rater === 1 && image === 2 ? 'normal' : classes[image % classes.length];
      return [{ classId, geometry: null, grade: classId === 'diabetic-retinopathy' ? 1 + ((image + rater) % 3) : undefined, uncertain: rater === 1 && image === 1 ? true : undefined, note: image === 3 ? 'cataract, hazy view' : undefined }];
    }
  }
}

export function sampleProjectData(template: SampleTemplate, opts: SampleOptions = {}): ProjectData {
  const now = opts.now ?? NOW;
  const projectId = `prj_${template}`;
  const schema = templateSchema(template, `sch_${template}`, now);
  const kind = IMAGE_KIND[template];
  const raters = opts.annotators ?? ['reader-a', 'reader-b'];
  const images: ImageRecord[] = Array.from({ length: opts.images ?? (template === 'fundus-diagnosis' ? 4 : 2) }, (_, i) => ({
    id: `img_${i + 1}`,
    projectId,
    name: `${kind.prefix}-${String(i + 1).padStart(3, '0')}.${kind.ext}`,
    modality: kind.modality,
    source: { kind: 'synthetic', seed: i + 1 },
    width: kind.width,
    height: kind.height,
    patientKey: `P${100 + i}`,
    order: i,
    addedAt: now,
  }));
  const annotations: Annotation[] = [];
  images.forEach((im, i) =>
    raters.forEach((rater, r) =>
      shapesFor(template, i, r).forEach((s) => {
        const a: Annotation = {
          id: `ann_${annotations.length + 1}`,
          projectId,
          imageId: im.id,
          classId: s.classId,
          attributes: s.attributes ?? {},
          geometry: s.geometry,
          annotatorId: rater,
          schemaId: schema.id,
          schemaVersion: schema.version,
          createdAt: now,
          updatedAt: now,
        };
        if (s.grade !== undefined) a.grade = s.grade;
        if (s.uncertain !== undefined) a.uncertain = s.uncertain;
        if (s.note !== undefined) a.note = s.note;
        if (annotations.length === 0) a.provenance = { kind: 'assistant', acceptedBy: rater };
        annotations.push(a);
      }),
    ),
  );
  return {
    project: { id: projectId, name: `Sample ${template}`, description: schema.purpose, schemaId: schema.id, reviewMode: false, optOut: [], exportLog: [], createdAt: now, updatedAt: now },
    schemas: [schema],
    images,
    annotators: raters.map((id) => ({ id, projectId, displayName: id })),
    annotations,
    statuses: images.map((im) => ({ id: `${im.id}~${raters[0]}`, projectId, imageId: im.id, annotatorId: raters[0], state: 'done' as const, noFinding: false, updatedAt: now })),
    audit: [],
  };
}

/**
 * A pathology sample whose first slide carries `count` more outlines: outline i is the sample's
 * first moved 20·i px to the right, with an id of its own (`broken`: that one has two points only).
 */
export function withSlideOutlines(data: ProjectData, count: number, broken?: number): ProjectData {
  const first = data.annotations[0];
  const points = first.geometry?.type === 'polygon' ? first.geometry.points : [];
  const more = Array.from({ length: count }, (_, i) => ({ ...first, id: `ann_cell_${i}`, geometry: { type: 'polygon' as const, points: i === broken ? points.slice(0, 4) : points.map((v, k) => (k % 2 ? v : v + 20 * i)) } }));
  return { ...data, annotations: [...data.annotations, ...more] };
}
