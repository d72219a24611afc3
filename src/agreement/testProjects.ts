// Builders for tests: a hand-built endoscopy study (the endoscopy template: polyp boxes with Paris and NICE).
import type { ProjectData } from '../model/projectData';
import { newProjectData } from '../model/projectFactory';
import type { AttributeValue, BoxGeometry, Geometry } from '../model/types';

export interface DrawnBox {
  rater: string;
  frame: string;
  box: Geometry;
  classId?: string;
  attributes?: Record<string, AttributeValue>;
}

export function endoscopyProject(boxes: readonly DrawnBox[], now = '2026-01-01T00:00:00.000Z'): ProjectData {
  const data = newProjectData({ name: 'endoscopy', template: 'endoscopy-lesions', now });
  const schema = data.schemas[0];
  const frames = [...new Set(boxes.map((b) => b.frame))];
  frames.forEach((id, order) =>
    data.images.push({ id, projectId: data.project.id, name: `${id}.png`, modality: 'endoscopy', source: { kind: 'synthetic', seed: order }, width: 640, height: 480, order, addedAt: now }),
  );
  for (const r of new Set(boxes.map((b) => b.rater))) data.annotators.push({ id: r, projectId: data.project.id, displayName: r });
  boxes.forEach((b, i) =>
    data.annotations.push({
      id: `box${i}`, projectId: data.project.id, imageId: b.frame, classId: b.classId ?? 'polyp', attributes: b.attributes ?? {}, geometry: b.box,
      annotatorId: b.rater, schemaId: schema.id, schemaVersion: schema.version, createdAt: now, updatedAt: now,
    }),
  );
  return data;
}

const BOX: BoxGeometry = { type: 'box', x: 100, y: 100, w: 80, h: 60 };

/**
 * Twelve frames, one polyp each, boxed alike by dr-a and dr-b (and dr-c when asked), plus boxes that
 * match nothing. Paris: the raters differ on f5 and f9 only; NICE: dr-b gives it on f1–f8 only.
 */
export function parisNiceStudy(withThird = false): ProjectData {
  const parisA = ['0-Is', '0-Is', '0-Is', '0-Is', '0-Is', '0-IIa', '0-IIa', '0-IIa', '0-IIa', '0-Ip', '0-Ip', '0-Ip'];
  const parisB = ['0-Is', '0-Is', '0-Is', '0-Is', '0-IIa', '0-IIa', '0-IIa', '0-IIa', '0-Is', '0-Ip', '0-Ip', '0-Ip'];
  const niceA = ['2', '2', '2', '2', '1', '1', '1', '2', '2', '1'];
  const niceB = ['2', '2', '2', '1', '1', '1', '1', '2'];
  const boxes: DrawnBox[] = [];
  parisA.forEach((p, i) => {
    const frame = `f${i + 1}`;
    boxes.push({ rater: 'dr-a', frame, box: BOX, attributes: { paris: p, ...(niceA[i] ? { nice: niceA[i] } : {}), size_mm: 5 } });
    boxes.push({ rater: 'dr-b', frame, box: { ...BOX, x: BOX.x + 4 }, attributes: { paris: parisB[i], ...(niceB[i] ? { nice: niceB[i] } : {}), size_mm: 8 } });
    if (withThird) boxes.push({ rater: 'dr-c', frame, box: { ...BOX, y: BOX.y + 3 }, attributes: { paris: p } });
  });
  // Unmatched: on f13 the two boxes are far apart, and on f1 dr-b boxes a second lesion; their Paris calls differ but do not count.
  boxes.push({ rater: 'dr-a', frame: 'f13', box: { type: 'box', x: 0, y: 0, w: 30, h: 30 }, attributes: { paris: '0-Is' } });
  boxes.push({ rater: 'dr-b', frame: 'f13', box: { type: 'box', x: 300, y: 300, w: 30, h: 30 }, attributes: { paris: '0-Ip' } });
  boxes.push({ rater: 'dr-b', frame: 'f1', box: { type: 'box', x: 400, y: 50, w: 40, h: 40 }, attributes: { paris: '0-III' } });
  return endoscopyProject(boxes);
}
