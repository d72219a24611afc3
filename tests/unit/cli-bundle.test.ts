/**
 * `bin/granula.mjs` runs the CLI from a bundle it builds on first use: an edit to any source file
 * must reach the next command, including a file the edit newly imports. The launcher runs here in a
 * throwaway project of its own (its own src/cli/main.ts and node_modules/.cache) that borrows only
 * esbuild and tsx from this one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '../..');
let root: string;

function run(...args: string[]) {
  return spawnSync('node', [join(root, 'bin/granula.mjs'), ...args], { encoding: 'utf8' });
}

function writeSource(file: string, text: string) {
  const path = join(root, file);
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'granula-cli-bundle-'));
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(repo, 'bin/granula.mjs'), join(root, 'bin/granula.mjs'));
  mkdirSync(join(root, 'node_modules'));
  for (const pkg of ['esbuild', '@esbuild', 'tsx']) {
    if (existsSync(join(repo, 'node_modules', pkg))) symlinkSync(join(repo, 'node_modules', pkg), join(root, 'node_modules', pkg));
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the CLI launcher', () => {
  it('runs the sources as they are now: after an edit of the same size, and after an edit that imports a new file', () => {
    writeSource('src/cli/main.ts', "export async function main(args: string[]): Promise<number> { console.log('one ' + args.join(',')); return 0; }\n");
    let r = run('a', 'b');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('one a,b\n');
    expect(existsSync(join(root, 'node_modules/.cache/granula-cli/main.mjs'))).toBe(true);

    // Same length, so only the time tells the files apart; set it apart from the build's clearly.
    writeSource('src/cli/main.ts', "export async function main(args: string[]): Promise<number> { console.log('two ' + args.join(',')); return 0; }\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'src/cli/main.ts'), later, later);
    r = run('c');
    expect(r.stdout).toBe('two c\n');

    writeSource('src/cli/word.ts', "export const word = 'three';\n");
    writeSource('src/cli/main.ts', "import { word } from './word';\nexport async function main(): Promise<number> { console.log(word); return 3; }\n");
    r = run();
    expect(r.stdout).toBe('three\n');
    expect(r.status).toBe(3);

    writeSource('src/cli/word.ts', "export const word = 'four!';\n");
    utimesSync(join(root, 'src/cli/word.ts'), new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    expect(run().stdout).toBe('four!\n');
  });
});
