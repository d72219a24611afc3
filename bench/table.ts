// `npx tsx bench/table.ts [--print] [--force]`: writes the "Latest numbers" table of
// docs/PERFORMANCE.md, between `<!-- bench:table -->` and `<!-- /bench:table -->`, from
// bench/results.json, so that the table is never copied by hand. "met" is judged again here from
// each row's per-run numbers against bench/targets.ts: met only if every run meets the target.
//
// Only a full run (`npm run bench`, not `--quick` or `--only=…`) replaces the table; `--force`
// writes any results (fields an older bench did not write show as "—"); `--print` prints the table
// and leaves the page alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { heapCell, judge, medianCell, metCell, sizeCell, spreadCell, targetFor, type AnyRow } from './targets';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results.json');
const DOC = join(ROOT, 'docs', 'PERFORMANCE.md');
const OPEN = '<!-- bench:table -->';
const CLOSE = '<!-- /bench:table -->';

interface Results {
  date?: string;
  quick?: boolean;
  only?: string[];
  exportMode?: string;
  machine?: { cpus?: number; model?: string; memoryGB?: number; node?: string };
  rows?: AnyRow[];
}

const args = process.argv.slice(2);
const PRINT = args.includes('--print');
const FORCE = args.includes('--force');

const cell = (s: string) => s.replace(/\|/g, '\\|').trim();

/** The rows as the page shows them; "met" judged again from the per-run numbers when the row has them. */
export function tableMarkdown(results: Results): string {
  const rows = (results.rows ?? []).map((r): AnyRow => {
    if (!Array.isArray(r.perRun)) {
      // An older bench: its wall-time rows kept their runs as `extra.runs`, one sample each.
      const raw = r.extra?.runs;
      const perRun = Array.isArray(raw) && raw.every((v) => typeof v === 'number') ? raw.map((v: number) => ({ n: 1, p50: v, p95: v, max: v, samples: [v] })) : undefined;
      return { ...r, perRun, target: null, verdict: undefined };
    }
    if (!r.kind) return { ...r, target: null, verdict: undefined };
    const { target, note } = targetFor(r.kind, r.size ?? NaN);
    return { ...r, target, verdict: judge(target, r.perRun, r.unit ?? '', note) };
  });
  const m = results.machine ?? {};
  const machine = [m.cpus && m.model ? `${m.cpus} × ${m.model.trim()}` : null, m.memoryGB ? `${Math.round(m.memoryGB)} GB` : null, m.node ? `Node ${m.node}` : null].filter(Boolean).join(', ');
  const flags = [results.quick ? '--quick' : '', results.only?.length ? `--only=${results.only.join(',')}` : ''].filter(Boolean).join(' ');
  const run = `\`npm run bench${flags ? ` -- ${flags}` : ''}\``;
  const out = [
    `${run}, ${results.date?.slice(0, 10) ?? 'date not recorded'}${machine ? `, ${machine}` : ''}. Written by \`npx tsx bench/table.ts\` from`,
    '`bench/results.json`; do not edit by hand. Median: of all samples of all runs. Spread: per run, the p95',
    'of its samples when it has 20 or more, else their maximum ("max of n"); runs of one sample each show',
    'every sample. Met: every run meets the target (see below the table for each miss).',
    '',
    '| workload | size | runs | median | spread | heap | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const runs = Array.isArray(r.perRun) ? String(r.perRun.length) : '—';
    out.push(`| ${[r.workload ?? '—', sizeCell(r), runs, medianCell(r), spreadCell(r), heapCell(r), r.target?.text ?? '—', metCell(r)].map(cell).join(' | ')} |`);
  }
  const misses = rows.filter((r) => r.verdict && r.verdict.met === false);
  if (misses.length) {
    out.push('', 'Not met, run by run:', '');
    for (const r of misses) out.push(`- ${(r.workload ?? '').trim()} (${sizeCell(r)}): ${r.verdict!.why.join('; ')}.`);
  }
  if (rows.some((r) => !r.kind)) out.push('', 'Rows marked "—" under met come from an older bench that recorded no targets: not judged here.');
  return out.join('\n');
}

function main(): void {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
  const table = tableMarkdown(results);
  if (PRINT) {
    console.log(table);
    return;
  }
  const full = results.quick === false && Array.isArray(results.only) && results.only.length === 0;
  if (!full && !FORCE) {
    const what = results.quick ? 'a --quick run' : results.only?.length ? `a partial run (--only=${results.only.join(',')})` : 'an older bench that did not record which workloads ran';
    console.error(`bench/results.json is from ${what}: the table in docs/PERFORMANCE.md is left as is. Run \`npm run bench\` first, or pass --force (or --print to see it).`);
    process.exitCode = 1;
    return;
  }
  const doc = readFileSync(DOC, 'utf8');
  const a = doc.indexOf(OPEN), b = doc.indexOf(CLOSE);
  if (a < 0 || b < a) throw new Error(`docs/PERFORMANCE.md has no ${OPEN} … ${CLOSE} markers`);
  const next = `${doc.slice(0, a + OPEN.length)}\n${table}\n${doc.slice(b)}`;
  if (next === doc) console.error('docs/PERFORMANCE.md: table unchanged');
  else {
    writeFileSync(DOC, next);
    console.error(`docs/PERFORMANCE.md: table written from bench/results.json (${results.rows?.length ?? 0} rows)`);
  }
}

main();
