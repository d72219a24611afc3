// A radiologist opens a CT series from disk (built by pydicom at test time, with identifying values
// planted in every attribute the de-identification profile lists), scrolls and windows it, draws a
// box on a slice, measures a length in mm, finds the same patient's slide in the patient view, and
// exports a DICOM SR.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BASIC_PROFILE } from '../../src/radiology/deidProfile';
import { PYTHON } from '../slides/makeSlides';
import { pydicomTestFiles } from '../radiology/pydicomFiles';
import { launchProfile, withoutFileHandles, type Session } from './chromium';
import { openProject, pagePoint, setIdentity, storedAnnotations, waitSaved, waitViewer } from './app';
import { downloadsOf, drawBox, dumpIndexedDb } from './trustHelpers';

const base = inject('baseUrl');
const dir = mkdtempSync(join(tmpdir(), 'granula-ct-'));
const SLICES = 8;
let session: Session | undefined;
let planted: { files: { path: string; sop: string }[]; study: string; series: string; text: string[]; uids: string[] };
let files: string[];
const mrJ2k = join(pydicomTestFiles(), 'MR_small_jp2klossless.dcm');

beforeAll(() => {
  const input = join(dir, 'ct');
  mkdirSync(input);
  const profilePath = join(dir, 'profile.json');
  writeFileSync(profilePath, JSON.stringify(BASIC_PROFILE));
  planted = JSON.parse(execFileSync(PYTHON, ['tests/radiology/makeCtSeries.py', profilePath, input, String(SLICES)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  files = readdirSync(input).map((f) => join(input, f));
});

afterAll(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function chooseFiles(p: Page, button: string | RegExp, paths: string[]): Promise<void> {
  const chooser = p.waitForEvent('filechooser');
  await p.getByText(button).click();
  await (await chooser).setFiles(paths);
}

/** Waits until the slice layer shows this slice under this window ("slice centre width"). */
async function painted(p: Page, what: string): Promise<void> {
  await p.locator(`[data-testid="slice-layer"][data-painted="${what}"]`).waitFor({ state: 'attached' });
}

/** The grey level the slice layer shows at an image point. */
async function shownGrey(p: Page, x: number, y: number): Promise<number> {
  const s = await pagePoint(p, x, y);
  const box = (await p.getByTestId('viewer').boundingBox())!;
  return p.getByTestId('slice-layer').evaluate(
    (c: HTMLCanvasElement, at) => {
      const dpr = window.devicePixelRatio || 1;
      return c.getContext('2d')!.getImageData(Math.round(at.x * dpr), Math.round(at.y * dpr), 1, 1).data[0];
    },
    { x: s.x - box.x, y: s.y - box.y },
  );
}

/** pydicom's modality value (Hounsfield units for CT; the stored value when there is no rescale) of one pixel of one file (rescale applied). */
function modalityValue(path: string, x: number, y: number): number {
  const code = 'import pydicom, sys\nd = pydicom.dcmread(sys.argv[1])\nprint(float(d.pixel_array[int(sys.argv[3]), int(sys.argv[2])]) * float(d.get("RescaleSlope", 1)) + float(d.get("RescaleIntercept", 0)))';
  return Number(execFileSync(PYTHON, ['-c', code, path, String(x), String(y)], { encoding: 'utf8' }).trim());
}

/** The project's pseudonym key as this browser stores it (base64), and its images, from what IndexedDB holds. */
async function storedState(p: Page): Promise<{ key: string; images: { modality: string; patientKey?: string; mpp?: number; source: { studyInstanceUid: string; seriesInstanceUid: string } }[]; text: string }> {
  const projectId = decodeURIComponent(new URL(p.url()).hash.split('/')[2]);
  const all = await dumpIndexedDb(p);
  return {
    key: all.meta.find((m) => m.key === `pseudonymKey/${projectId}`).value.key,
    images: all.records.filter((r) => r.kind === 'image' && !r.gone).map((r) => r.value),
    text: JSON.stringify(all),
  };
}

/** The project's UID for a scanner's UID, computed apart from our code: 2.25. and the first 128 bits of HMAC-SHA-256("uid\0" + UID). */
function projectUid(keyBase64: string, uid: string): string {
  const code = 'import base64,hashlib,hmac,sys\nprint("2.25." + str(int.from_bytes(hmac.new(base64.b64decode(sys.argv[1]), b"uid\\0" + sys.argv[2].encode(), hashlib.sha256).digest()[:16], "big")))';
  return execFileSync(PYTHON, ['-c', code, keyBase64, uid], { encoding: 'utf8' }).trim();
}

function expectedPseudonym(keyBase64: string, id: string): string {
  const code = 'import base64,hashlib,hmac,sys\nmac = hmac.new(base64.b64decode(sys.argv[1]), b"patient\\0" + sys.argv[2].encode(), hashlib.sha256).digest()[:16]\nprint("pk-" + base64.b32encode(mac).decode().lower().rstrip("="))';
  return execFileSync(PYTHON, ['-c', code, keyBase64, id], { encoding: 'utf8' }).trim();
}

const SR_SUMMARY = `
import json, sys, pydicom
d = pydicom.dcmread(sys.argv[1])
group = [c for c in d.ContentSequence if c.ConceptNameCodeSequence[0].CodeMeaning == "Imaging Measurements"][0].ContentSequence[0]
items = {c.ConceptNameCodeSequence[0].CodeMeaning: c for c in group.ContentSequence}
print(json.dumps({"patient": d.PatientID, "study": d.StudyInstanceUID,
  "evidence": [s.ReferencedSOPInstanceUID for s in d.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence],
  "finding": items["Finding"].ConceptCodeSequence[0].CodeMeaning, "graphicType": items["Image Region"].GraphicType,
  "area": float(items["Area"].MeasuredValueSequence[0].NumericValue)}))
`;

/** The report's length groups (TID 1501): the Length, its unit, and the slice its line is on. */
const SR_LENGTHS = `
import json, sys, pydicom
d = pydicom.dcmread(sys.argv[1])
groups = [c for c in d.ContentSequence if c.ConceptNameCodeSequence[0].CodeMeaning == "Imaging Measurements"][0].ContentSequence
out = []
for g in groups:
    if g.ContentTemplateSequence[0].TemplateIdentifier != "1501": continue
    num = [c for c in g.ContentSequence if c.ValueType == "NUM"][0]
    scoord = num.ContentSequence[0]
    out.append({"name": num.ConceptNameCodeSequence[0].CodeValue + " " + num.ConceptNameCodeSequence[0].CodingSchemeDesignator,
      "mm": float(num.MeasuredValueSequence[0].NumericValue), "unit": num.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue,
      "graphic": [scoord.GraphicType, len(scoord.GraphicData)], "slice": scoord.ContentSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID})
print(json.dumps(out))
`;

describe('a CT series from disk', () => {
  it('is listed by series, scrolls, windows, takes a box on a slice, stores nothing identifying, exports a DICOM SR, and sits beside the same patient’s slide in the patient view', { timeout: 180_000 }, async () => {
    session = await launchProfile();
    await withoutFileHandles(session);
    const page = await session.context.newPage();
    await setIdentity(page, base, 'Dr Rad');
    // The pathology project's key, which the CT project will share: one patient, one pseudonym.
    // First the slide's patient ID, pseudonymised with that project's key (made on first use).
    await openProject(page, base, /Demo: pathology cell outlines/);
    const slideRow = page.getByTestId('worklist-row').filter({ hasText: 'Synthetic H&E slide' });
    const demoKey = await slideRow.getByTestId('patient-key').locator('code').textContent();
    await slideRow.getByRole('button', { name: 'Patient ID for Synthetic H&E slide (seed 1)' }).click();
    await slideRow.getByRole('textbox', { name: 'Patient ID for Synthetic H&E slide (seed 1)' }).fill('PHI-PATIENT-0042');
    await slideRow.getByRole('button', { name: 'Pseudonymise' }).click();
    await expect.poll(() => slideRow.getByTestId('patient-key').locator('code').textContent()).not.toBe(demoKey);
    await waitSaved(page);
    await page.getByRole('link', { name: 'Project settings' }).click();
    await page.getByRole('button', { name: 'Download key…' }).click();
    const [{ text: keyFile }] = await downloadsOf(page, () => page.getByRole('alertdialog', { name: 'Download key…' }).getByRole('button', { name: 'Download the key' }).click());

    await page.goto(`${base}/#/`);
    await page.getByLabel('Project name').fill('Chest CT');
    await page.getByLabel('Schema template').selectOption({ label: 'CT/MR: findings on slices (DICOM series)' });
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'Project settings' }).click();
    await page.getByLabel('Import a key file…').setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(keyFile) });
    await page.getByRole('alertdialog', { name: 'Import a key file…' }).getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('key-fingerprint').filter({ hasText: JSON.parse(keyFile).fingerprint }).waitFor();
    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.getByLabel('Modality').selectOption({ label: 'Radiology' });
    await chooseFiles(page, /Add CT\/MR files/, files);
    const row = page.getByTestId('worklist-row').filter({ hasText: 'CT series' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/CT series 1 \(8\).*128 × 128/);

    await row.getByRole('link', { name: /CT series/ }).click();
    await waitViewer(page);
    const position = page.getByTestId('slice-position');
    // Opens on the middle slice: 5 of 8. makeCtSeries places file i at CT_small's z + 5 mm · i, so
    // slice k (counted from 1, ordered along the slice normal, +z for this axial series) is file k.
    const z0 = Number(execFileSync(PYTHON, ['-c', 'import pydicom,sys\nprint(float(pydicom.dcmread(sys.argv[1]).ImagePositionPatient[2]))', files[0]], { encoding: 'utf8' }).trim());
    const at = (k: number) => `Slice ${k} of 8 · position ${(z0 + 5 * (k - 1)).toFixed(1)} mm · thickness 5.0 mm`;
    await position.filter({ hasText: at(5) }).waitFor();

    // The wheel and the arrow keys scroll; the slider says where.
    const box = (await page.getByTestId('viewer').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 120);
    await position.filter({ hasText: at(6) }).waitFor();
    await page.keyboard.press('ArrowDown');
    await position.filter({ hasText: at(7) }).waitFor();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await position.filter({ hasText: at(5) }).waitFor();
    await expect(page.getByRole('slider', { name: 'Slice' }).inputValue()).resolves.toBe('5');

    // The lung preset windows as the standard's linear function says, from pydicom's Hounsfield units.
    await page.getByRole('button', { name: 'Lung' }).click();
    await page.getByTestId('window').filter({ hasText: 'W 1500 / L -600' }).waitFor();
    await painted(page, '5 -600 1500');
    const grey = (hu: number, c: number, w: number) => Math.round(hu <= c - 0.5 - (w - 1) / 2 ? 0 : hu > c - 0.5 + (w - 1) / 2 ? 255 : ((hu - (c - 0.5)) / (w - 1) + 0.5) * 255);
    for (const [x, y] of [[40, 64], [64, 64], [90, 100]]) {
      expect(Math.abs((await shownGrey(page, x + 0.5, y + 0.5)) - grey(modalityValue(files[4], x, y), -600, 1500))).toBeLessThanOrEqual(2);
    }
    await page.getByRole('button', { name: 'Mediastinum' }).click();
    await page.getByTestId('window').filter({ hasText: 'W 350 / L 50' }).waitFor();
    await painted(page, '5 50 350');
    expect(Math.abs((await shownGrey(page, 64.5, 64.5)) - grey(modalityValue(files[4], 64, 64), 50, 350))).toBeLessThanOrEqual(2);
    // A right-drag 64 px to the right widens the window by 64 · 350/256 = 87.5 → 88 HU.
    await page.mouse.move(box.x + 100, box.y + 100);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(box.x + 164, box.y + 100, { steps: 4 });
    await page.mouse.up({ button: 'right' });
    await page.getByTestId('window').filter({ hasText: 'W 438 / L 50' }).waitFor();

    // A box on slice 5: stored with that slice's UID, the project's replacement of the file's own.
    await page.keyboard.press('b');
    await page.keyboard.press('1');
    await drawBox(page, 30, 40, 70, 80);
    await page.getByTestId('shape-count').filter({ hasText: '1' }).waitFor();
    await waitSaved(page);
    const [stored] = await storedAnnotations(page);
    expect(stored.geometry).toMatchObject({ type: 'box' });
    expect(stored.geometry.x).toBeCloseTo(30, 0);
    expect(stored.geometry.w).toBeCloseTo(40, 0);
    const db = await storedState(page);
    const key = db.key;
    expect((stored as unknown as { slice: unknown }).slice).toEqual({ sopInstanceUid: projectUid(key, planted.files[4].sop), frame: 1 });
    // Only on its slice.
    await page.keyboard.press('ArrowDown');
    await position.filter({ hasText: at(6) }).waitFor();
    await expect(page.getByTestId('shape-layer').getAttribute('data-drawn')).resolves.toBe('0');
    await page.keyboard.press('ArrowUp');
    await position.filter({ hasText: at(5) }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="shape-layer"]')?.getAttribute('data-drawn') === '1');

    // A length on slice 5 (L): dragged end to end, in mm by the file's Pixel Spacing as pydicom reads it (row, column).
    const spacing: [number, number] = JSON.parse(execFileSync(PYTHON, ['-c', 'import json,pydicom,sys\nprint(json.dumps([float(v) for v in pydicom.dcmread(sys.argv[1]).PixelSpacing]))', files[4]], { encoding: 'utf8' }));
    const mm = (g: { points: number[] }) => Math.hypot((g.points[2] - g.points[0]) * spacing[1], (g.points[3] - g.points[1]) * spacing[0]);
    const storedLine = async () => (await storedAnnotations(page)).find((a) => a.geometry?.type === 'line') as unknown as { geometry: { points: number[] }; slice: unknown } | undefined;
    await page.keyboard.press('l');
    await expect(page.getByRole('button', { name: /Measure length \(mm\)/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    await drawBox(page, 20, 100, 20 + 15 / spacing[1], 100);
    await page.getByTestId('shape-count').filter({ hasText: '2' }).waitFor();
    await waitSaved(page);
    const line = (await storedLine())!;
    expect(line.slice).toEqual((stored as unknown as { slice: unknown }).slice);
    expect(mm(line.geometry)).toBeCloseTo(15, 1);
    // Selected (V, a click on it), the inspector gives its length; an end dragged further lengthens it; undo puts it back.
    await page.keyboard.press('v');
    const along = await pagePoint(page, 20 + 5 / spacing[1], 100);
    await page.mouse.click(along.x, along.y);
    await page.getByTestId('line-length').filter({ hasText: `Length: ${mm(line.geometry).toFixed(1)} mm` }).waitFor();
    await drawBox(page, line.geometry.points[2], line.geometry.points[3], 20 + 30 / spacing[1], 100);
    await expect.poll(async () => mm((await storedLine())!.geometry)).toBeCloseTo(30, 0);
    const longer = (await storedLine())!;
    await page.getByTestId('line-length').filter({ hasText: `Length: ${mm(longer.geometry).toFixed(1)} mm` }).waitFor();
    await page.keyboard.press('Control+z');
    await page.getByTestId('line-length').filter({ hasText: `Length: ${mm(line.geometry).toFixed(1)} mm` }).waitFor();
    await waitSaved(page);
    await expect.poll(async () => (await storedLine())!.geometry.points).toEqual(line.geometry.points);

    // Nothing the profile removes, no planted identifier and none of the scanner's UIDs is stored anywhere.
    for (const value of [...planted.text, ...planted.uids, planted.study, planted.series, ...planted.files.map((f) => f.sop), 'PHI-PATIENT-0042', 'PHI-Doe']) expect(db.text).not.toContain(value);
    const image = db.images.find((im) => im.modality === 'radiology')!;
    expect(image.patientKey).toBe(expectedPseudonym(key, 'PHI-PATIENT-0042'));
    expect(image.source.studyInstanceUid).toBe(projectUid(key, planted.study));
    expect(image.source.seriesInstanceUid).toBe(projectUid(key, planted.series));
    // 0.661468 mm pixels (CT_small's Pixel Spacing): the scale bar is in mm.
    expect(image.mpp).toBeCloseTo(661.468, 2);

    // The box as a DICOM SR measurement report: pydicom reads it, dciodvfy finds no error.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export DICOM SR (measurement report)' }).click();
    const srPath = join(dir, 'report.sr.dcm');
    await (await download).saveAs(srPath);
    await page.getByTestId('sr-message').filter({ hasText: 'DICOM SR written: 1 region (each with its slice and area in mm²) and 1 length in mm.' }).waitFor();
    const sr = JSON.parse(execFileSync(PYTHON, ['-c', SR_SUMMARY, srPath], { encoding: 'utf8' }));
    expect(sr).toMatchObject({ patient: image.patientKey, study: projectUid(key, planted.study), evidence: [projectUid(key, planted.files[4].sop)], finding: 'Nodule', graphicType: 'POLYLINE' });
    // 40 × 40 pixels of 0.661468 mm: 700.1 mm².
    expect(sr.area).toBeCloseTo(stored.geometry.w * stored.geometry.h * 0.661468 ** 2, 1);
    // The length: SCT 410668003 in mm, from a two-point POLYLINE on slice 5.
    const lengths = JSON.parse(execFileSync(PYTHON, ['-c', SR_LENGTHS, srPath], { encoding: 'utf8' }));
    expect(lengths).toHaveLength(1);
    expect(lengths[0]).toMatchObject({ name: '410668003 SCT', unit: 'mm', graphic: ['POLYLINE', 4], slice: projectUid(key, planted.files[4].sop) });
    expect(lengths[0].mm).toBeCloseTo(mm(line.geometry), 4);
    const check = spawnSync('dciodvfy', [srPath], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);

    // The patient view: the CT series with its box, and beside it the same patient's slide from the pathology project.
    await page.getByTestId('patient-link').click();
    const cards = page.getByTestId('patient-image');
    await cards.nth(1).waitFor();
    const texts = await cards.allTextContents();
    expect(texts).toHaveLength(2);
    expect(texts.find((c) => c.includes('CT series 1 (8)'))).toMatch(/Chest CT · Radiology · 8 slices.*Nodule: 2 shapes/);
    expect(texts.find((c) => c.includes('Synthetic H&E slide (seed 1)'))).toContain('Demo: pathology cell outlines / デモ：病理 細胞輪郭 · Pathology WSI');
    const boxes = await cards.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y })));
    expect(boxes[0].y).toBe(boxes[1].y); // side by side
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Patient ${image.patientKey}`);

    // After a reload the files must be chosen again (no File System Access here): the box is still on its slice.
    await cards.filter({ hasText: 'CT series 1 (8)' }).getByRole('link', { name: 'Open' }).click();
    await page.reload();
    await page.getByTestId('slide-gate').waitFor();
    await chooseFiles(page, 'Choose CT series 1 (8) again', files);
    await waitViewer(page);
    await position.filter({ hasText: at(5) }).waitFor();
    await page.getByTestId('shape-count').filter({ hasText: '2' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="shape-layer"]')?.getAttribute('data-drawn') === '2');

    // An MR in JPEG 2000 (pydicom's MR_small_jp2klossless.dcm): decoded by the WebAssembly codec
    // under the page's policy, shown under the header's window as pydicom decodes it; no CT presets.
    await openProject(page, base, 'Chest CT');
    await chooseFiles(page, /Add CT\/MR files/, [mrJ2k]);
    await page.getByRole('link', { name: /MR series 1 \(1\)/ }).click();
    await waitViewer(page);
    await position.filter({ hasText: 'Slice 1 of 1' }).waitFor();
    await page.getByTestId('window').filter({ hasText: 'W 1600 / L 600' }).waitFor();
    await painted(page, '1 600 1600');
    await expect(page.getByRole('button', { name: 'Lung' }).count()).resolves.toBe(0);
    for (const [x, y] of [[20, 20], [32, 32], [40, 28]]) {
      expect(Math.abs((await shownGrey(page, x + 0.5, y + 0.5)) - grey(modalityValue(mrJ2k, x, y), 600, 1600))).toBeLessThanOrEqual(2);
    }
  });

  it('from a folder in a browser that keeps file handles: reopens after a reload without asking', { timeout: 120_000 }, async () => {
    const chrome = await launchProfile();
    try {
      const page = await chrome.context.newPage();
      await setIdentity(page, base, 'Dr Rad');
      // The system folder picker cannot be driven headless: stand in for it with a real directory
      // handle in the origin's private file system, holding the series and a file that is not DICOM.
      const copies = [...files.map((f) => ({ name: f.split('/').pop()!, b64: readFileSync(f).toString('base64') })), { name: 'notes.txt', b64: Buffer.from('not an image').toString('base64') }];
      await page.evaluate(async (list) => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('ct-folder', { create: true });
        for (const f of list) {
          const w = await (await dir.getFileHandle(f.name, { create: true })).createWritable();
          await w.write(Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0)));
          await w.close();
        }
      }, copies);
      await page.addInitScript(() => {
        (window as unknown as { showDirectoryPicker: () => Promise<unknown> }).showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('ct-folder');
      });
      await page.goto(`${base}/#/`);
      await page.reload();
      await page.getByLabel('Project name').fill('Folder CT');
      await page.getByLabel('Schema template').selectOption({ label: 'CT/MR: findings on slices (DICOM series)' });
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByLabel('Modality').selectOption({ label: 'Radiology' });
      await page.getByRole('button', { name: 'Add a CT/MR folder (DICOM)' }).click();
      // The series is added; the text file gets its own line.
      await page.getByRole('alert').filter({ hasText: 'notes.txt: is not a DICOM file' }).waitFor();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Added CT series 1 (8).');
      await page.getByRole('link', { name: /CT series 1 \(8\)/ }).click();
      await waitViewer(page);
      await page.getByTestId('slice-position').filter({ hasText: 'Slice 5 of 8' }).waitFor();
      await page.reload();
      await waitViewer(page);
      await page.locator('[data-testid="slice-layer"][data-painted^="5 "]').waitFor({ state: 'attached' });
      await expect(page.getByTestId('slide-gate').count()).resolves.toBe(0);
    } finally {
      await chrome.close();
    }
  });
});
