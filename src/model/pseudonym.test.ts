import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPseudonym, keyFileText, keyFingerprint, newPseudonymKey, pseudonymise, pseudonymiseAll, readKeyFile } from './pseudonym';

const KEY = new Uint8Array(32).map((_, i) => i + 1);

describe('pseudonymise', () => {
  it('is HMAC-SHA-256 of the normalised ID, its first 128 bits in base32 after "pk-"', async () => {
    const p = await pseudonymise(KEY, 'HOSP-0001');
    expect(isPseudonym(p)).toBe(true);
    // The same computation by Node's own crypto, independent of Web Crypto.
    const mac = createHmac('sha256', Buffer.from(KEY)).update('patient\u0000HOSP-0001').digest().subarray(0, 16);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    let bits = '';
    for (const b of mac) bits += b.toString(2).padStart(8, '0');
    const expected = 'pk-' + (bits + '00').match(/.{5}/g)!.map((x) => alphabet[parseInt(x, 2)]).join('');
    expect(p).toBe(expected);
  });

  it('gives one patient one pseudonym however the ID was typed (spaces, full-width digits)', async () => {
    const a = await pseudonymise(KEY, 'HOSP-0001');
    expect(await pseudonymise(KEY, '  HOSP-0001\t')).toBe(a);
    expect(await pseudonymise(KEY, 'ＨＯＳＰ－０００１')).toBe(a);
    expect(await pseudonymise(KEY, 'HOSP-0002')).not.toBe(a);
    expect(await pseudonymise(KEY, 'hosp-0001')).not.toBe(a); // case is significant: IDs may differ by case
  });

  it('links a slide and a CT of one patient within a project; another project’s key gives another pseudonym', async () => {
    const slide = await pseudonymise(KEY, '12345');
    const ct = await pseudonymise(KEY, '12345');
    expect(ct).toBe(slide);
    expect(await pseudonymise(newPseudonymKey(), '12345')).not.toBe(slide);
  });

  it('never contains the clear ID, and refuses an empty or overlong one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0), async (id) => {
        const p = await pseudonymise(KEY, id);
        expect(isPseudonym(p)).toBe(true);
        if (id.trim().length >= 3) expect(p.includes(id.trim())).toBe(false);
      }),
      { seed: 20260206, numRuns: 100 },
    );
    await expect(pseudonymise(KEY, '   ')).rejects.toThrow('empty');
    await expect(pseudonymise(KEY, 'x'.repeat(201))).rejects.toThrow('longer than 200');
  });

  it('a pasted list: blank lines skipped, one entry per patient', async () => {
    const list = await pseudonymiseAll(KEY, ['A1', '', ' A1 ', 'B2']);
    expect(list).toEqual([await pseudonymise(KEY, 'A1'), await pseudonymise(KEY, 'B2')]);
  });
});

describe('the key file (downloaded only on purpose)', () => {
  it('round-trips and gives the same pseudonyms in another browser', async () => {
    const text = await keyFileText(KEY, { id: 'prj_1', name: 'Colon' }, '2026-02-06T00:00:00.000Z');
    expect(text).toContain('Anyone with this key');
    const back = await readKeyFile(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.projectId).toBe('prj_1');
    expect(back.fingerprint).toBe(await keyFingerprint(KEY));
    expect(await pseudonymise(back.key, 'HOSP-0001')).toBe(await pseudonymise(KEY, 'HOSP-0001'));
  });

  it('refuses files that are not a key, a short key, a damaged key', async () => {
    const good = JSON.parse(await keyFileText(KEY, { id: 'p', name: 'n' }, 't'));
    const cases: [string, string][] = [
      ['{', 'not JSON'],
      [JSON.stringify({ format: 'granula-shared' }), 'not a Granula key file'],
      [JSON.stringify({ ...good, key: 'AAAA' }), '32 bytes'],
      [JSON.stringify({ ...good, key: good.key.replace(/^./, good.key[0] === 'A' ? 'B' : 'A') }), 'damaged'],
    ];
    for (const [text, message] of cases) {
      const r = await readKeyFile(text);
      expect(r.ok ? 'accepted' : r.message).toContain(message);
    }
  });
});
