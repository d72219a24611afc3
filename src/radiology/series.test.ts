// Series as a project stores them: made by pydicom at test time (makeCtSeries plants an identifying
// value in every attribute of the profile), described under a project key, and the UIDs and
// pseudonym checked against HMAC computed by Python's own hmac module.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON } from '../../tests/slides/makeSlides';
import { BASIC_PROFILE } from './deidProfile';
import { readInstance } from './instance';
import { describeSeries, placeSlices, SeriesReader } from './series';

const dir = mkdtempSync(join(tmpdir(), 'granula-series-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'profile.json'), JSON.stringify(BASIC_PROFILE));
const planted = JSON.parse(execFileSync(PYTHON, ['tests/radiology/makeCtSeries.py', join(dir, 'profile.json'), dir, '4'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { files: { path: string; sop: string }[]; study: string; series: string; text: string[] };
const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const keyB64 = Buffer.from(key).toString('base64');
const read = (paths: string[]) => paths.map((p) => readInstance(new Uint8Array(readFileSync(p)), p.split('/').pop()!)!);
/** Files as the viewer holds them, counting reads. */
function seriesFiles(paths: string[], reads: string[] = []) {
  return paths.map((p) => ({ name: p.split('/').pop()!, read: async () => (reads.push(p.split('/').pop()!), new Uint8Array(readFileSync(p))) }));
}

function python(code: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8' }).trim();
}
const projectUid = (uid: string) => python('import base64,hashlib,hmac,sys\nprint("2.25." + str(int.from_bytes(hmac.new(base64.b64decode(sys.argv[1]), b"uid\\0" + sys.argv[2].encode(), hashlib.sha256).digest()[:16], "big")))', keyB64, uid);
const pseudonym = (id: string) => python('import base64,hashlib,hmac,sys\nmac = hmac.new(base64.b64decode(sys.argv[1]), b"patient\\0" + sys.argv[2].encode(), hashlib.sha256).digest()[:16]\nprint("pk-" + base64.b32encode(mac).decode().lower().rstrip("="))', keyB64, id);

describe('a CT series described for a project', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.dcm')).map((f) => join(dir, f)).reverse();

  it('keeps only the project UIDs, the pseudonym, the size and the scale: slices in order along the normal', async () => {
    const [s] = await describeSeries(read(files), key);
    expect(s.source).toEqual({
      kind: 'dicom-series',
      modality: 'CT',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      studyInstanceUid: projectUid(planted.study),
      seriesInstanceUid: projectUid(planted.series),
      seriesNumber: expect.any(Number),
      // makeCtSeries puts file i at z + 5 mm · i: ascending z is the files' own order.
      slices: planted.files.map((f) => ({ sopInstanceUid: projectUid(f.sop), frame: 1 })),
    });
    expect(s.patientKey).toBe(pseudonym('PHI-PATIENT-0042'));
    expect([s.columns, s.rows, s.mpp]).toEqual([128, 128, 661.468]);
    const kept = JSON.stringify(s);
    for (const value of [...planted.text, planted.study, planted.series, ...planted.files.map((f) => f.sop), 'PHI-PATIENT-0042']) expect(kept).not.toContain(value);
    // The first slice says Burned In Annotation YES: the user hears of it.
    expect(s.warnings).toEqual([expect.stringContaining('Burned In Annotation is YES')]);
  });

  it('finds each stored slice again among the files read back, reading one file for a slice, and names the one that is missing', async () => {
    const [s] = await describeSeries(read(files), key);
    const source = { ...s.source, fileNames: s.members.map((i) => files[i].split('/').pop()!) };
    const placed = await placeSlices(source, seriesFiles(files), key);
    expect(placed.map((p) => p.instance.name)).toEqual(planted.files.map((f) => f.path.split('/').pop()));
    // The third slice alone: its own file is the only one read.
    const reads: string[] = [];
    await expect(new SeriesReader(source, seriesFiles(files, reads), key).slice(2)).resolves.toMatchObject({ instance: { name: 'slice-003.dcm' }, frame: 0 });
    expect(reads).toEqual(['slice-003.dcm']);
    // Renamed files: found by UID all the same.
    const renamed = seriesFiles(files).map((f, i) => ({ ...f, name: `renamed-${i}` }));
    await expect(new SeriesReader(source, renamed, key).slice(1)).resolves.toMatchObject({ instance: { sopUid: planted.files[1].sop } });
    await expect(placeSlices(source, seriesFiles(files.filter((f) => !f.endsWith('slice-002.dcm'))), key)).rejects.toThrow(`slice 2 of 4 (instance ${projectUid(planted.files[1].sop)}) is not among the files chosen`);
  });

  it('refuses a series whose files name two patients, naming the file', async () => {
    const other = join(dir, 'other-patient.dcm');
    python('import pydicom,sys\nd = pydicom.dcmread(sys.argv[1])\nd.PatientID = "SOMEONE-ELSE"\nd.SOPInstanceUID = d.SOPInstanceUID + ".9"\nd.save_as(sys.argv[2])', planted.files[0].path, other);
    await expect(describeSeries(read([...files, other]), key)).rejects.toThrow(/its Patient ID differs from that of/);
  });
});
