import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concatBytes, crc32, zipStore } from './zip';

const dir = mkdtempSync(join(tmpdir(), 'granula-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

function save(name: string, chunks: Uint8Array[]): string {
  const path = join(dir, name);
  writeFileSync(path, concatBytes(chunks));
  return path;
}

/**
 * The archive's entries as the central directory lists them, read per the ZIP specification
 * (APPNOTE 4.3.12, 4.3.16): the check that does not need an unzip tool.
 */
function centralDirectory(bytes: Uint8Array): { name: string; size: number; crc: number; data: string }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const dataAt = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    out.push({ name, size, crc: view.getUint32(at + 16, true), data: new TextDecoder().decode(bytes.subarray(dataAt, dataAt + size)) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

describe('store-only ZIP writer', () => {
  it('CRC-32 gives the check value of the standard ("123456789" → CBF43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
  });

  const entries = [
    { name: 'dataset/data.yaml', data: 'train: images\nval: images\nnc: 1\nnames:\n  0: "Polyp"\n' },
    { name: 'dataset/labels/frame-001.txt', data: '0 0.5 0.5 0.25 0.25\n' },
    { name: 'dataset/labels/内視鏡-002.txt', data: '' },
    { name: 'dataset/images/frame-001.bin', data: new Uint8Array([0, 1, 2, 255, 254, 0x50, 0x4b]) },
  ];

  it('lists every entry with its size and CRC, names in UTF-8, contents as written', () => {
    const bytes = concatBytes(zipStore(entries, { modified: new Date(2026, 2, 1, 9, 30, 0) }));
    expect(centralDirectory(bytes)).toEqual([
      { name: 'dataset/data.yaml', size: 52, crc: crc32(new TextEncoder().encode(entries[0].data as string)), data: entries[0].data },
      { name: 'dataset/labels/frame-001.txt', size: 20, crc: crc32(new TextEncoder().encode('0 0.5 0.5 0.25 0.25\n')), data: '0 0.5 0.5 0.25 0.25\n' },
      { name: 'dataset/labels/内視鏡-002.txt', size: 0, crc: 0, data: '' },
      { name: 'dataset/images/frame-001.bin', size: 7, crc: crc32(entries[3].data as Uint8Array), data: new TextDecoder().decode(entries[3].data as Uint8Array) },
    ]);
  });

  it.skipIf(!hasUnzip)('unzip tests it clean, lists it, and prints each entry as written', () => {
    const path = save('dataset.zip', zipStore(entries, { modified: new Date(2026, 2, 1, 9, 30, 0) }));
    expect(execFileSync('unzip', ['-t', path], { encoding: 'utf8' })).toContain('No errors detected');
    const listing = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(entries.map((e) => e.name));
    expect(execFileSync('unzip', ['-l', path], { encoding: 'utf8' })).toMatch(/(2026-03-01|03-01-2026) 09:30 +dataset\/data\.yaml/);
    expect(execFileSync('unzip', ['-p', path, 'dataset/data.yaml'], { encoding: 'utf8' })).toBe(entries[0].data);
    expect([...execFileSync('unzip', ['-p', path, 'dataset/images/frame-001.bin'])]).toEqual([...(entries[3].data as Uint8Array)]);
  });

  it.skipIf(!hasUnzip)('more than 65,535 entries: a ZIP64 end record, and unzip finds them all', () => {
    const many = Array.from({ length: 70_000 }, (_, i) => ({ name: `labels/${i}.txt`, data: i % 2 ? '' : '0 0.5 0.5 0.1 0.1\n' }));
    const path = save('many.zip', zipStore(many));
    const listing = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim().split('\n');
    expect(listing.length).toBe(70_000);
    expect(listing[69_999]).toBe('labels/69999.txt');
    expect(execFileSync('unzip', ['-p', path, 'labels/69998.txt'], { encoding: 'utf8' })).toBe('0 0.5 0.5 0.1 0.1\n');
  });

  it('refuses names that would unpack outside the folder, and the same name twice', () => {
    for (const name of ['../x.txt', '/etc/x', 'a//b', 'a\\b', 'a/./b', '']) expect(() => zipStore([{ name, data: '' }])).toThrow(/unsafe name/);
    expect(() => zipStore([{ name: 'a.txt', data: '' }, { name: 'a.txt', data: 'x' }])).toThrow('"a.txt" is in the archive twice');
  });
});
