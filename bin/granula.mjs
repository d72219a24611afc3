#!/usr/bin/env node
// The CLI is TypeScript and needs no build step. It runs from one ES module that esbuild (which
// tsx ships) bundles from src/cli/main.ts on first use and again whenever one of the files it was
// built from changes: loading one module instead of compiling and linking some two hundred through
// tsx's loader cuts about half a second from every command. Packages stay in node_modules. Where
// the bundle cannot be written (a read-only install) or esbuild is missing, tsx compiles the
// sources as they load, as before.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'node_modules', '.cache', 'granula-cli');
const bundle = join(cacheDir, 'main.mjs');
const stamp = join(cacheDir, 'inputs.json');

/** True when the bundle exists and every file it was built from has the size and time it had then. */
function bundleIsCurrent() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(stamp, 'utf8'));
    statSync(bundle);
  } catch {
    return false;
  }
  for (const [file, [size, mtimeMs]] of Object.entries(inputs)) {
    let s;
    try {
      s = statSync(join(root, file));
    } catch {
      return false;
    }
    if (s.size !== size || s.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  // Written under a name of this process's own, then renamed: two commands started together never
  // load a half-written bundle.
  const tmp = join(cacheDir, `main.${process.pid}.mjs`);
  const result = await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const s = statSync(join(root, file));
    inputs[file] = [s.size, s.mtimeMs];
  }
  renameSync(tmp, bundle);
  writeFileSync(`${stamp}.${process.pid}`, JSON.stringify(inputs));
  renameSync(`${stamp}.${process.pid}`, stamp);
}

async function loadMain() {
  try {
    if (!bundleIsCurrent()) await buildBundle();
    return await import(pathToFileURL(bundle).href);
  } catch {
    // Fall through: compile the sources as they load.
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
