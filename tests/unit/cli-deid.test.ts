// `granula deid` end to end, as processes: a CT series made by pydicom with an identifying value
// planted in every attribute the profile removes or replaces, de-identified, then read back by
// pydicom and checked by dicom3tools' dciodvfy.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyFileText, newPseudonymKey } from '../../src/model/pseudonym';
import { BASIC_PROFILE } from '../../src/radiology/deidProfile';
import { PYTHON } from '../slides/makeSlides';

const dir = mkdtempSync(join(tmpdir(), 'granula-deid-'));
const SLICES = 6;

interface Inspected {
  path: string;
  elements: { tag: string; vr: string; value: string }[];
  private: number;
  study: string;
  series: string;
  sop: string;
  mediaSop: string;
  frameOfReference: string;
  transferSyntax: string;
  references: string[];
  relatedStudies: string[];
  patientId: string;
  identityRemoved: string | null;
  pixels: string;
}

interface Planted {
  files: { path: string; sop: string }[];
  study: string;
  series: string;
  frameOfReference: string;
  text: string[];
  uids: string[];
}

function inspect(paths: string[]): Inspected[] {
  return JSON.parse(execFileSync(PYTHON, ['tests/radiology/inspectDeid.py', ...paths], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Inspected[];
}

function granula(...args: string[]) {
  return spawnSync('node', ['bin/granula.mjs', ...args], { encoding: 'utf8' });
}

/** dciodvfy's error lines for a file, each once (it repeats some per item). */
function dciodvfyErrors(path: string): Set<string> {
  const r = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  return new Set(`${r.stdout}${r.stderr}`.split('\n').filter((l) => l.startsWith('Error')));
}

/** The project pseudonym computed apart from our code: HMAC-SHA-256 of "patient\0" + ID, 128 bits in base32. */
function expectedPseudonym(keyBase64: string, id: string): string {
  const script = `
import base64, hashlib, hmac, sys
mac = hmac.new(base64.b64decode(sys.argv[1]), b"patient\\0" + sys.argv[2].encode(), hashlib.sha256).digest()[:16]
print("pk-" + base64.b32encode(mac).decode().lower().rstrip("="))`;
  return execFileSync(PYTHON, ['-c', script, keyBase64, id], { encoding: 'utf8' }).trim();
}

describe('granula deid on a CT series with identifying values in every profile attribute', { timeout: 60_000 }, () => {
  const input = join(dir, 'in');
  const output = join(dir, 'out');
  const keyPath = join(dir, 'project.granula-key.json');
  let planted: Planted;
  let run: ReturnType<typeof granula>;
  let before: Inspected[];
  let after: Inspected[];
  let keyBase64: string;

  beforeAll(async () => {
    mkdirSync(input);
    const profilePath = join(dir, 'profile.json');
    writeFileSync(profilePath, JSON.stringify(BASIC_PROFILE));
    planted = JSON.parse(execFileSync(PYTHON, ['tests/radiology/makeCtSeries.py', profilePath, input, String(SLICES)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Planted;
    const keyText = await keyFileText(newPseudonymKey(), { id: 'p1', name: 'CT study' }, '2026-01-01T00:00:00Z');
    keyBase64 = (JSON.parse(keyText) as { key: string }).key;
    writeFileSync(keyPath, keyText);
    // Not every file in a folder is DICOM, and not every DICOM file is whole.
    writeFileSync(join(input, 'notes.txt'), 'Patient PHI-Doe^Jane, seen 1971-01-01\n');
    const whole = readFileSync(planted.files[0].path);
    writeFileSync(join(input, 'cut.dcm'), whole.subarray(0, 2000));
    run = granula('deid', input, '-o', output, '--key', keyPath);
    before = inspect(planted.files.map((f) => f.path));
    after = inspect(readdirSync(output).map((f) => join(output, f)));
  }, 60_000);

  it('prints a line per file, an error line for the file that is not DICOM, writes only the DICOM ones and exits 1', () => {
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual(planted.files.map((f) => expect.stringMatching(new RegExp(`^${f.path} → ${output}/2\\.25\\.\\d+\\.dcm$`))));
    expect(run.stderr).toContain(`${join(input, 'notes.txt')}: is not a DICOM Part 10 file`);
    expect(run.stderr).toMatch(new RegExp(`${join(input, 'cut.dcm')}: .*\\([0-9A-F]{4},[0-9A-F]{4}\\) runs past the end of the file \\(2000 bytes\\)`));
    expect(run.stderr).toContain(`${planted.files[0].path}: warning: Burned In Annotation is YES`);
    expect(run.status).toBe(1);
    expect(after).toHaveLength(SLICES);
  });

  it('leaves no planted value in any element, sequences included, and no private attribute', () => {
    expect(planted.text.length).toBeGreaterThan(150);
    const planted_ = new Set([...planted.text, ...planted.uids, planted.study, planted.series, planted.frameOfReference, ...planted.files.map((f) => f.sop), 'PHI-PATIENT-0042']);
    for (const file of after) {
      const leaks = file.elements.filter((e) => [...planted_].some((p) => e.value.includes(p)) || e.value.includes('PHI'));
      expect(leaks, file.path).toEqual([]);
      expect(file.private).toBe(0);
      expect(file.identityRemoved).toBe('YES');
    }
    // The input really held them: the check above can fail.
    expect(before[0].elements.some((e) => e.value.includes('PHI-PATIENT-0042'))).toBe(true);
    expect(before[0].private).toBeGreaterThan(0);
  });

  it('removes every X attribute, empties every Z attribute and gives every D attribute a dummy value', () => {
    for (const file of after) {
      for (const [g, e, keyword, action] of BASIC_PROFILE) {
        const t = ((g << 16) | e).toString(16).toUpperCase().padStart(8, '0');
        const found = file.elements.filter((el) => el.tag === t);
        if (action === 'X') expect(found, `${keyword} in ${file.path}`).toEqual([]);
        if (action === 'Z' && keyword !== 'PatientID') expect(found.map((f) => f.value), `${keyword} in ${file.path}`).toEqual(found.map(() => ''));
        // A dummy: present, not empty, and none of the planted values (checked for every element above).
        if (action === 'D') for (const f of found) expect(f.value, `${keyword} in ${file.path}`).not.toBe('');
      }
    }
  });

  it('keeps the pixel data byte for byte', () => {
    expect(after.map((f) => f.pixels).sort()).toEqual(before.map((f) => f.pixels).sort());
  });

  it('replaces UIDs consistently: one study, one series, SOP UIDs 1:1, references mapped the same, and again on a second run', () => {
    expect(new Set(after.map((f) => f.study)).size).toBe(1);
    expect(new Set(after.map((f) => f.series)).size).toBe(1);
    expect(new Set(after.map((f) => f.frameOfReference)).size).toBe(1);
    expect(new Set(after.map((f) => f.sop)).size).toBe(SLICES);
    for (const f of after) {
      for (const uid of [f.study, f.series, f.sop, f.frameOfReference]) expect(uid).toMatch(/^2\.25\.\d{1,39}$/);
      expect(f.mediaSop).toBe(f.sop);
    }
    // Slice k referenced slice k-1's SOP Instance UID: it now references slice k-1's new one.
    const outputs = planted.files.map((f) => after.find((a) => a.path === lineOut(f.path))!);
    for (let k = 1; k < SLICES; k++) expect(outputs[k].references).toEqual([outputs[k - 1].sop]);
    for (const f of after) expect(f.relatedStudies).toEqual([f.study]);
    // The same key maps the same UIDs in another run (a study sent in two batches stays one study).
    const again = granula('deid', planted.files[2].path, '-o', join(dir, 'again'), '--key', keyPath);
    expect(again.status).toBe(0);
    const [second] = inspect(readdirSync(join(dir, 'again')).map((f) => join(dir, 'again', f)));
    expect([second.study, second.series, second.sop]).toEqual([after[0].study, after[0].series, outputs[2].sop]);
  });

  /** The output file the CLI printed for an input. */
  function lineOut(path: string): string {
    return run.stdout.split('\n').find((l) => l.startsWith(`${path} → `))!.split(' → ')[1];
  }

  it('Patient ID is the project pseudonym, as HMAC-SHA-256 under the key computes it', () => {
    const pseudonym = expectedPseudonym(keyBase64, 'PHI-PATIENT-0042');
    expect(pseudonym).toMatch(/^pk-[a-z2-7]{26}$/);
    for (const f of after) expect(f.patientId).toBe(pseudonym);
  });

  it('an implicit VR file whose sequences have defined lengths (as DCMTK writes them) is de-identified as thoroughly', () => {
    const implicit = join(dir, 'implicit', 'slice.dcm');
    mkdirSync(join(dir, 'implicit'));
    execFileSync('dcmconv', ['+ti', planted.files[1].path, implicit]);
    const out = join(dir, 'implicit-out');
    const r = granula('deid', implicit, '-o', out, '--key', keyPath);
    expect(r.status).toBe(0);
    const [original, deidentified] = inspect([implicit, r.stdout.trim().split(' → ')[1]]);
    expect(deidentified.transferSyntax).toBe('1.2.840.10008.1.2');
    expect(deidentified.pixels).toBe(original.pixels);
    const leaks = deidentified.elements.filter((e) => e.value.includes('PHI') || planted.uids.some((u) => e.value.includes(u)) || e.value.includes(planted.study));
    expect(leaks).toEqual([]);
    // The same UIDs as the explicit VR slice maps to: one study, the same reference.
    const explicitTwin = after.find((a) => a.path === lineOut(planted.files[1].path))!;
    expect([deidentified.study, deidentified.sop, deidentified.references, deidentified.relatedStudies]).toEqual([explicitTwin.study, explicitTwin.sop, explicitTwin.references, [explicitTwin.study]]);
  });

  it('dciodvfy finds no error in the output it does not find in the input', () => {
    for (const [i, file] of planted.files.entries()) {
      const inputErrors = dciodvfyErrors(file.path);
      const outputErrors = [...dciodvfyErrors(lineOut(file.path))].filter((e) => !inputErrors.has(e));
      expect(outputErrors, `slice ${i + 1}`).toEqual([]);
    }
  });
});
