// Imports through the store (what the project list's import button calls): a refused file leaves
// every stored byte as it was, an accepted one adds exactly one project, and a storage failure
// part-way (quota) leaves nothing half-written.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleProjectData } from '../../src/formats/testData';
import { toSharedDocument } from '../../src/formats/shared/convert';
import { importSharedText } from '../../src/store/importExport';
import { initWorkspace, storeWholeProject, workspaceDb } from '../../src/store/workspace';
import { hostileValue, mutatedJson, mutatedText } from '../fixtures/formats/mutate';

async function dump(): Promise<string> {
  const db = workspaceDb()!;
  return JSON.stringify({ records: await db.getAll('records'), blobs: (await db.getAll('blobs')).map((b) => b.blobId) });
}

const projectCount = async () => (await workspaceDb()!.getAll('records')).filter((r) => r.kind === 'project').length;
const base = () => toSharedDocument(sampleProjectData('endoscopy-lesions'), { exportedAt: '2026-02-01T09:00:00.000Z' });

beforeAll(async () => {
  await initWorkspace({ dbName: 'import-all-or-nothing', channelName: 'import-all-or-nothing' });
  await storeWholeProject(sampleProjectData('fundus-diagnosis'));
});

describe('import through the store is all-or-nothing', () => {
  it('mutated shared-format files: refused ones change nothing, accepted ones add one whole project', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedJson(base()).map((v) => JSON.stringify(v) ?? ''), mutatedText(JSON.stringify(base()))), async (text) => {
        const before = await dump();
        const projects = await projectCount();
        const r = await importSharedText(text);
        if (r.ok) expect(await projectCount()).toBe(projects + 1);
        else {
          refused++;
          expect(r.problems.every((p) => p.path && p.message)).toBe(true);
          expect(await dump()).toBe(before);
        }
      }),
      { seed: 20260206, numRuns: 60 },
    );
    expect(refused).toBeGreaterThan(20);
  });

  it('a hostile value anywhere in a document never throws out of the import', async () => {
    await fc.assert(
      fc.asyncProperty(hostileValue, async (v) => {
        const r = await importSharedText(JSON.stringify({ ...base(), annotations: [v] }) ?? '');
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: 20260206, numRuns: 30 },
    );
  });

  it('a quota error part-way through storing an import leaves nothing of it', async () => {
    const before = await dump();
    const realPut = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++puts > 5) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    try {
      const r = await importSharedText(JSON.stringify(base()));
      expect(r.ok ? 'stored' : r.problems[0].message).toMatch(/could not be stored: .*quota.*; nothing was changed/);
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    expect(await dump()).toBe(before);
  });
});
