import { describe, expect, it } from 'vitest';
import type { ProjectData } from '../model/projectData';
import { cocoFileChunks } from './coco/write';
import { geoJsonFileChunks } from './geojson/stream';
import { sharedDocumentChunks } from './shared/stream';
import { sampleProjectData, type SampleTemplate } from './testData';
import { writeAny } from './writeAny';

const NOW = '2026-03-01T00:00:00.000Z';
const TEMPLATES: SampleTemplate[] = ['pathology-cells', 'endoscopy-lesions', 'fundus-diagnosis'];

function join(chunks: Iterable<string | Uint8Array>): { text: string; count: number; longest: number } {
  let text = '', count = 0, longest = 0;
  const decoder = new TextDecoder();
  for (const c of chunks) {
    text += typeof c === 'string' ? c : decoder.decode(c, { stream: true });
    count++;
    longest = Math.max(longest, c.length);
  }
  return { text: text + decoder.decode(), count, longest };
}

/** A sample with oddities: an annotation on an unknown image, one of an unknown class, holes, a length line. */
function awkward(template: SampleTemplate): ProjectData {
  const data = sampleProjectData(template, { images: 3 });
  const a = data.annotations[0];
  data.annotations.push({ ...a, id: 'lost', imageId: 'no-such-image' }, { ...a, id: 'odd', classId: 'no-such-class' });
  data.annotations.push({ ...a, id: 'holed', geometry: { type: 'polygon', points: [0, 0, 100, 0, 100, 100, 0, 100], holes: [[10, 10, 20, 10, 20, 20]] } });
  data.annotations.push({ ...a, id: 'ruler', geometry: { type: 'line', points: [10.25, 20, 0.1, 1e-7] } });
  return data;
}

describe('streamed writers', () => {
  it('write the shared format exactly as writeAny does, in chunks of about the size asked', () => {
    for (const template of TEMPLATES) {
      const data = awkward(template);
      const whole = writeAny(data, 'shared', { exportedAt: NOW }).files[0].text;
      const { text, count, longest } = join(sharedDocumentChunks(data, { exportedAt: NOW }, 500));
      expect(text).toBe(whole);
      expect(count).toBeGreaterThan(1);
      // A chunk ends after the piece (an annotation, a top-level field) that took it past the size.
      const doc = JSON.parse(whole) as Record<string, unknown>;
      const pieces = [...Object.entries(doc).filter(([k]) => k !== 'annotations').map(([, v]) => v), ...(doc.annotations as unknown[])].map((v) => new TextEncoder().encode(JSON.stringify(v)).length);
      expect(longest).toBeLessThanOrEqual(500 + Math.max(...pieces) + 64);
    }
  });

  it('include embedded files as the whole document does', () => {
    const data = sampleProjectData('endoscopy-lesions');
    const files = [{ blobId: 'b1', mime: 'image/png', base64: 'iVBORw0KGgo=' }];
    const { text } = join(sharedDocumentChunks(data, { exportedAt: NOW, files }));
    expect(JSON.parse(text).files).toEqual(files);
  });

  it('write QuPath GeoJSON exactly as writeAny does, file by file, with the same warnings', () => {
    for (const template of TEMPLATES) {
      const data = awkward(template);
      const whole = writeAny(data, 'geojson', { exportedAt: NOW });
      const streamed = geoJsonFileChunks(data, { exportedAt: NOW }, 300);
      expect(streamed.files.map((f) => f.name)).toEqual(whole.files.map((f) => f.name));
      streamed.files.forEach((f, i) => expect(join(f.chunks()).text).toBe(whole.files[i].text));
      expect(streamed.warnings).toEqual(whole.warnings);
    }
  });

  it('write COCO exactly as writeAny does, annotation by annotation, with the same warnings', () => {
    for (const template of TEMPLATES) {
      const data = awkward(template);
      const whole = writeAny(data, 'coco', { exportedAt: NOW });
      const progress = { done: 0 };
      const streamed = cocoFileChunks(data, { exportedAt: NOW }, 300, progress);
      const { text, count } = join(streamed.chunks());
      expect(text).toBe(whole.files[0].text);
      expect(count).toBeGreaterThan(1);
      expect(streamed.warnings).toEqual(whole.warnings);
      // The two annotations of an unknown image or class and the length line (COCO has no line) are not written, and not counted.
      expect(progress.done).toBe(data.annotations.length - 3);
      expect(streamed.warnings).toContain('1 length measurement not written: COCO has no line shape. Export the shared format, GeoJSON or CSV to keep them');
    }
  });
});

describe('numbers written as text', () => {
  it('match JSON.stringify for hundredths, whole numbers, tiny and huge values', async () => {
    const { num } = await import('./geojson/stream');
    const fc = (await import('fast-check')).default;
    const values = [0, -0, 1, -1, 0.1, 0.05, -0.05, 12345.67, 99999.99, 1e-7, 1e21, 123456789.12, 1e9 + 0.5, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity, 0.1 + 0.2];
    for (const v of values) expect(num(v)).toBe(JSON.stringify(v));
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1e9, max: 1e9 }).map((k) => k / 100), fc.double({ noNaN: true })), (v) => num(v) === JSON.stringify(v)),
      { numRuns: 20000, seed: 7 },
    );
  });
});

describe('writeJson', () => {
  it('writes what JSON.stringify writes, odd values included', async () => {
    const { Utf8Sink, writeJson } = await import('./shared/stream');
    const fc = (await import('fast-check')).default;
    const text = (v: unknown, skip?: string) => {
      const sink = new Utf8Sink();
      return writeJson(sink, v, skip) ? new TextDecoder().decode(sink.take()) : undefined;
    };
    const odd = { a: undefined, b: () => 1, c: [undefined, () => 1, NaN, -0, 1e21, 5e-7, 'é"\\n'], d: new Date(0), e: { f: null, g: [[1.25, 2], []] }, h: Symbol('x'), '"k"': true };
    expect(text(odd)).toBe(JSON.stringify(odd));
    expect(text(undefined)).toBeUndefined();
    expect(text({ id: 'x', projectId: 'p', z: 1 }, 'projectId')).toBe('{"id":"x","z":1}');
    fc.assert(fc.property(fc.jsonValue(), (v) => text(v) === JSON.stringify(v)), { numRuns: 2000, seed: 11 });
    fc.assert(fc.property(fc.anything(), (v) => text(v) === JSON.stringify(v)), { numRuns: 2000, seed: 12 });
  });
});

describe('feature ids', () => {
  it('are uuidFor(id), whatever the id', async () => {
    const { uuidFor } = await import('./interchange/ids');
    const fc = (await import('fast-check')).default;
    const data = sampleProjectData('pathology-cells');
    const a = data.annotations[0];
    const ids = ['', 'x', 'ann_c0-1-2-3', '0F8FAD5B-D9CB-469F-A165-70867728950E', 'é漢字', ...data.annotations.map((x) => x.id)];
    const idOf = (id: string) => {
      const { files } = geoJsonFileChunks({ ...data, annotations: [{ ...a, id }] }, { exportedAt: NOW });
      const text = join(files.find((f) => f.name === 'slide-001.geojson')!.chunks()).text;
      return JSON.parse(text).features[0].id;
    };
    for (const id of ids) expect(idOf(id)).toBe(uuidFor(id));
    fc.assert(fc.property(fc.string(), (id) => idOf(id) === uuidFor(id)), { numRuns: 200, seed: 5 });
  });
});
