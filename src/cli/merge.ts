import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { nowIso } from '../model/ids';
import { fromSharedDocument, toSharedDocument } from '../formats/shared/convert';
import type { Problem } from '../formats/shared/paths';
import { parseJsonText, validateSharedDocument } from '../formats/shared/validate';
import { gatherReturn, type GatherReport } from '../team/gather';
import { applyChanges, dataFromState, stateFromData } from '../team/state';
import type { CliIo } from './io';

const USAGE = 'usage: granula merge BASE RETURN... -o OUT [--as NAME]';

interface MergeArgs {
  base: string;
  returns: string[];
  output: string;
  actor: string;
}

function parseArgs(args: string[]): MergeArgs | string {
  const positional: string[] = [];
  let output: string | undefined;
  let actor = 'coordinator';
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (optionsEnded || !a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      optionsEnded = true;
      continue;
    }
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = inline ?? args[++i];
    if (flag === '-o' || flag === '--out' || flag === '--output') {
      if (value === undefined || value === '') return `${flag} needs a file name`;
      output = value;
    } else if (flag === '--as') {
      if (value === undefined || value.trim() === '') return '--as needs a name';
      actor = value;
    } else return `unknown option "${a}"`;
  }
  if (!positional.length) return 'missing BASE and RETURN files';
  if (positional.length < 2) return 'missing RETURN files';
  if (!output) return 'missing -o OUT';
  const [base, ...returns] = positional;
  const out = resolve(output);
  const clash = positional.find((f) => resolve(f) === out);
  if (clash !== undefined) return `OUT is the input file ${clash}; write to another path so it is kept`;
  return { base, returns, output, actor };
}

type Read = { ok: true; value: unknown } | { ok: false; problems: Problem[] };

async function readJson(file: string): Promise<Read> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ path: '(file)', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  return parseJsonText(text);
}

function reportLine(file: string, r: GatherReport): string {
  const skipped = r.skipped > 0 ? `, ${r.skipped} skipped` : '';
  return `${file}: ${r.annotator}: ${r.added} added, ${r.updated} updated, ${r.deleted} deleted, ${r.unchanged} unchanged, ${r.conflicts} conflicts${skipped}`;
}

/**
 * `granula merge BASE RETURN... -o OUT [--as NAME]`: the coordinator's project with the annotators'
 * returns gathered into it, in order, by the same rules as the app. Exit 0 and one report line per
 * return; exit 1 and one `FILE: path: message` line per problem, with nothing written, when the base
 * or any return is refused; exit 2 on usage errors.
 */
export async function runMerge(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`granula merge: ${parsed}\n${USAGE}`);
    return 2;
  }
  const { base, returns, output, actor } = parsed;
  const at = nowIso();
  const fail = (file: string, problems: readonly Problem[]) => {
    for (const p of problems) io.err(`${file}: ${p.path}: ${p.message}`);
  };

  const baseJson = await readJson(base);
  if (!baseJson.ok) {
    fail(base, baseJson.problems);
    return 1;
  }
  const baseDoc = validateSharedDocument(baseJson.value);
  if (!baseDoc.ok) {
    fail(base, baseDoc.problems);
    return 1;
  }
  const state = stateFromData(fromSharedDocument(baseDoc.doc));

  // Every return is read and checked before giving up, so one run names every bad file.
  const lines: string[] = [];
  let failed = false;
  for (const file of returns) {
    const json = await readJson(file);
    if (!json.ok) {
      fail(file, json.problems);
      failed = true;
      continue;
    }
    // The name kept in the project (conflicts, audit trail) is the file's own name, not where it lay.
    const outcome = gatherReturn(state, { name: basename(file), value: json.value }, { actor, at });
    if (!outcome.ok) {
      fail(file, outcome.problems);
      failed = true;
      continue;
    }
    applyChanges(state, outcome.changes);
    lines.push(reportLine(file, outcome.report));
  }
  if (failed) return 1;

  const doc = toSharedDocument(dataFromState(state), { exportedAt: at, ...(baseDoc.doc.files ? { files: baseDoc.doc.files } : {}) });
  try {
    await writeFile(output, JSON.stringify(doc) + '\n', 'utf8');
  } catch (e) {
    io.err(`${output}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 1;
  }
  for (const l of lines) io.out(l);
  return 0;
}
