import { describe, expect, it } from 'vitest';
import { sampleProjectData } from './testData';
import { excludeOptedOut } from './optOut';

describe('opt-out', () => {
  it('drops every image of an opted-out patient with its labels, and says how many', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const target = data.images[0];
    target.patientKey = 'pk-declined';
    data.project.optOut = ['pk-declined'];
    const before = data.annotations.filter((a) => a.imageId === target.id).length;
    expect(before).toBeGreaterThan(0);
    const r = excludeOptedOut(data);
    expect(r.excludedImages).toBe(1);
    expect(r.excludedAnnotations).toBe(before);
    expect(r.data.images.map((i) => i.id)).not.toContain(target.id);
    expect(r.data.annotations.some((a) => a.imageId === target.id)).toBe(false);
    expect(r.data.statuses.some((s) => s.imageId === target.id)).toBe(false);
    expect(r.data.project.optOut).toEqual([]);
  });

  it('changes nothing but the (empty) list when nobody opted out', () => {
    const data = sampleProjectData('fundus-diagnosis');
    expect(excludeOptedOut(data)).toEqual({ data, excludedImages: 0, excludedAnnotations: 0 });
  });
});
