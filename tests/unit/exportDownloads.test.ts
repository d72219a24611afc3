// The Export tab's downloads: one file per export. A YOLO dataset and GeoJSON's file per image come
// as one .zip holding the folder; the archive is checked with unzip when the machine has it, and
// otherwise by reading its central directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { pngBytes } from '../fixtures/formats/images';
import { readAnyFormat } from '../../src/formats/detect';
import { sampleProjectData } from '../../src/formats/testData';
import type { Download } from '../../src/ui/exportFiles';

const dir = mkdtempSync(join(tmpdir(), 'granula-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

let ws: typeof import('../../src/store/workspace');
let n = 0;
async function app() {
  vi.resetModules();
  ws = await import('../../src/store/workspace');
  await ws.initWorkspace({ dbName: `export-${++n}`, channelName: `export-sync-${n}` });
  return import('../../src/ui/exportFiles');
}
afterEach(() => ws?.closeWorkspace());

async function save(d: Download): Promise<string> {
  const path = join(dir, d.name);
  writeFileSync(path, new Uint8Array(await new Blob(d.parts).arrayBuffer()));
  return path;
}

/** Entry names and texts from the central directory (ZIP APPNOTE 4.3.12), without an unzip tool. */
function entries(bytes: Uint8Array): Map<string, Uint8Array> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  let at = v.getUint32(end + 16, true);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < v.getUint16(end + 10, true); i++) {
    const size = v.getUint32(at + 24, true), nameLength = v.getUint16(at + 28, true), local = v.getUint32(at + 42, true);
    const dataAt = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    out.set(new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)), bytes.subarray(dataAt, dataAt + size));
    at += 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return out;
}

describe('Export tab downloads', () => {
  it('YOLO: one .zip holding the dataset folder, with images/ from the files added in this browser', async () => {
    const { foreignDownloads } = await app();
    const data = sampleProjectData('endoscopy-lesions', { images: 3, annotators: ['r'] });
    const files = data.images.slice(0, 2).map((_im, i) => ({ blobId: `file-${i}`, projectId: data.project.id, mime: 'image/png', data: new Blob([pngBytes(1280, 1024, i * 40) as BlobPart], { type: 'image/png' }) }));
    data.images = data.images.map((im, i) => (i < 2 ? { ...im, name: im.name.replace('.jpg', '.png'), source: { kind: 'file', blobId: files[i].blobId, mime: 'image/png', fileName: im.name } } : im));
    await ws.storeWholeProject(data, files);
    const { downloads, warnings } = await foreignDownloads(data, 'yolo', { includeImages: true });
    expect(downloads.map((d) => [d.name, d.mime])).toEqual([['Sample endoscopy-lesions-yolo.zip', 'application/zip']]);
    const bytes = new Uint8Array(await new Blob(downloads[0].parts).arrayBuffer());
    const inside = entries(bytes);
    const root = 'Sample endoscopy-lesions-yolo/';
    expect([...inside.keys()]).toEqual([
      `${root}data.yaml`,
      `${root}classes.txt`,
      `${root}labels/frame-001.txt`,
      `${root}labels/frame-002.txt`,
      `${root}labels/frame-003.txt`,
      `${root}images/frame-001.png`,
      `${root}images/frame-002.png`,
    ]);
    expect(new TextDecoder().decode(inside.get(`${root}labels/frame-002.txt`))).toBe('0 0.320508 0.307617 0.141016 0.146484\n1 0.582031 0.546875 0.070313 0.117188\n');
    expect([...inside.get(`${root}images/frame-002.png`)!]).toEqual([...pngBytes(1280, 1024, 40)]);
    expect(warnings).toEqual(['1 of 3 images are not files added in this browser (demo or linked images), so they are not in images/']);
    if (hasUnzip) {
      const path = await save(downloads[0]);
      expect(execFileSync('unzip', ['-t', path], { encoding: 'utf8' })).toContain('No errors detected');
      expect(execFileSync('unzip', ['-p', path, `${root}data.yaml`], { encoding: 'utf8' })).toContain('names:\n  0: "Polyp"\n  1: "Suspected cancer"\n  2: "Other lesion"\n');
    }
  });

  it('GeoJSON of several images: one .zip of FeatureCollections, one per image, each readable', async () => {
    const { foreignDownloads } = await app();
    const data = sampleProjectData('pathology-cells');
    const { downloads } = await foreignDownloads(data, 'geojson', { includeImages: false });
    expect(downloads.map((d) => d.name)).toEqual(['Sample pathology-cells-geojson.zip']);
    const inside = entries(new Uint8Array(await new Blob(downloads[0].parts).arrayBuffer()));
    expect([...inside.keys()]).toEqual(['Sample pathology-cells-geojson/slide-001.geojson', 'Sample pathology-cells-geojson/slide-002.geojson']);
    for (const [name, bytes] of inside) {
      const r = readAnyFormat(new TextDecoder().decode(bytes), name);
      expect([r.format, r.ok && r.data.annotations.length]).toEqual(['geojson', 8]);
    }
    if (hasUnzip) expect(execFileSync('unzip', ['-Z1', await save(downloads[0])], { encoding: 'utf8' }).trim().split('\n')).toEqual([...inside.keys()]);
  });

  it('CSV, COCO and GeoJSON of one image stay one plain file', async () => {
    const { foreignDownloads } = await app();
    const data = sampleProjectData('endoscopy-lesions', { images: 1 });
    for (const [format, name] of [['csv', 'Sample endoscopy-lesions.csv'], ['coco', 'Sample endoscopy-lesions.coco.json'], ['geojson', 'frame-001.geojson']] as const) {
      const { downloads } = await foreignDownloads(data, format, { includeImages: false });
      expect(downloads.map((d) => d.name)).toEqual([name]);
    }
    const csv = await new Blob((await foreignDownloads(data, 'csv', { includeImages: false })).downloads[0].parts).text();
    expect(csv.split('\r\n').filter((l) => l.startsWith('frame-001.jpg')).length).toBe(6); // every box of both readers
  });
});

describe('Export tab: the shared format and GeoJSON are written from chunks', () => {
  const NOW = '2026-03-01T00:00:00.000Z';

  it('the shared document and the GeoJSON files are the bytes of the whole-file writer', async () => {
    const { foreignDownloads, sharedDownload } = await app();
    const { sharedDocumentChunks } = await import('../../src/formats/shared/stream');
    const { writeAny } = await import('../../src/formats/writeAny');
    const data = sampleProjectData('pathology-cells');
    const shared = await sharedDownload('p.granula.json', (progress) => sharedDocumentChunks(data, { exportedAt: NOW }, 200, progress), data.annotations.length);
    expect([shared.name, shared.mime]).toEqual(['p.granula.json', 'application/json']);
    expect(await new Blob(shared.parts).text()).toBe(writeAny(data, 'shared', { exportedAt: NOW }).files[0].text);
    const { downloads } = await foreignDownloads(data, 'geojson', { includeImages: false });
    const inside = entries(new Uint8Array(await new Blob(downloads[0].parts).arrayBuffer()));
    const whole = writeAny(data, 'geojson');
    expect([...inside.values()].map((b) => new TextDecoder().decode(b))).toEqual(whole.files.map((f) => f.text));
  });

  it('pauses every few MB with its progress, and Cancel stops the write', async () => {
    const { chunksToBlob, ExportCancelled } = await app();
    const MB = 1 << 20;
    const progress = { done: 0 };
    function* chunks() {
      for (let i = 0; i < 12; i++) {
        progress.done = i + 1;
        yield new Uint8Array(MB).fill(65 + i);
      }
    }
    const fractions: number[] = [];
    const blob = await chunksToBlob(chunks(), () => progress.done / 12, { onProgress: (f) => fractions.push(f) }, 'text/plain');
    expect(blob.size).toBe(12 * MB);
    expect(fractions).toEqual([4 / 12, 8 / 12, 1]);
    const abort = new AbortController();
    const cancelled = chunksToBlob(chunks(), () => progress.done / 12, { signal: abort.signal, onProgress: () => abort.abort() }, 'text/plain');
    await expect(cancelled).rejects.toBeInstanceOf(ExportCancelled);
    expect(progress.done).toBe(4);
  });
});
