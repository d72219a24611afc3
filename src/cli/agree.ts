import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { agreementInputFromProject, mergeAgreementInputs } from '../agreement/fromProject';
import { agreementDetails, toAgreeJson, type AgreementDetails } from '../agreement/report';
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED } from '../agreement/bootstrap';
import type { AgreementInput, Interval } from '../agreement/types';
import { readAnyFormat } from '../formats/detect';
import type { CliIo } from './io';

const USAGE = 'usage: granula agree FILE... [--iou 0.5] [--json]';

interface AgreeArgs {
  files: string[];
  iou: number;
  json: boolean;
}

function parseArgs(args: string[]): AgreeArgs | string {
  const files: string[] = [];
  let iou = 0.5;
  let json = false;
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      files.push(arg);
    } else if (arg === '--') {
      optionsEnded = true;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--iou' || arg.startsWith('--iou=')) {
      const value = arg === '--iou' ? args[++i] : arg.slice('--iou='.length);
      const n = Number(value);
      if (value === undefined || value.trim() === '' || !(n > 0 && n <= 1)) return `--iou needs a number above 0 and at most 1, got ${value === undefined ? 'nothing' : `"${value}"`}`;
      iou = n;
    } else {
      return `unknown option ${arg}`;
    }
  }
  if (!files.length) return 'no input files';
  return { files, iou, json };
}

/** Reads every file before giving up, so one run names every bad file. */
async function readInputs(files: string[], io: CliIo): Promise<AgreementInput[] | null> {
  const inputs: AgreementInput[] = [];
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      io.err(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      failed = true;
      continue;
    }
    // The base name: a COCO file's annotator is named by its stem, not by the folders above it.
    const result = readAnyFormat(text, basename(file));
    if (!result.ok) {
      for (const p of result.problems) io.err(`${file}: ${p.path}: ${p.message}`);
      failed = true;
      continue;
    }
    for (const w of result.warnings) io.err(`${file}: warning: ${w.path}: ${w.message}`);
    inputs.push(agreementInputFromProject(result.data));
  }
  return failed ? null : inputs;
}

/** `granula agree FILE... [--iou 0.5] [--json]`: agreement between annotators, as a table or one JSON object. */
export async function runAgree(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`granula agree: ${parsed}\n${USAGE}`);
    return 2;
  }
  const inputs = await readInputs(parsed.files, io);
  if (!inputs) return 1;
  const input = mergeAgreementInputs(inputs);
  let details: AgreementDetails;
  try {
    details = agreementDetails(input, { iou: parsed.iou });
  } catch (e) {
    io.err(`granula agree: ${(e as Error).message}`);
    return 1;
  }
  if (details.labels.duplicates) {
    io.err(`warning: ${details.labels.duplicates} image labels ignored: an annotator labelled the same image more than once (the first label counts)`);
  }
  if (parsed.json) io.out(JSON.stringify(toAgreeJson(details), null, 2));
  else for (const line of agreementTable(details, parsed.files.length)) io.out(line);
  return 0;
}

function num(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(3);
}

function interval(ci: Interval): string {
  return ci ? `[${num(ci[0])}, ${num(ci[1])}]` : '';
}

/** Text columns: the first and those from `leftFrom` on are aligned left, the others (numbers) right. */
function columns(rows: string[][], leftFrom = Infinity): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => '  ' + r.map((cell, c) => (c === 0 || c >= leftFrom ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

const TOO_FEW = 'too few images';

function labelLines(d: AgreementDetails['labels']): string[] {
  if (!d.items) return ['Image labels: none'];
  const out = [`Image labels: ${d.items} images, raters ${d.raters.join(', ')}; ${d.images_compared} rated by two or more`];
  if (d.too_few_images) out.push(`  warning: ${TOO_FEW} (${d.images_compared}; at least ${d.images_minimum} are needed for a confidence interval)`);
  const twoRaters = d.raters.length === 2;
  const orderless = 'the classes have no order';
  const needTwo = 'needs exactly two raters';
  const rows: [string, number | null, Interval, string][] = [
    ["Cohen's kappa", d.cohen_kappa, d.ci95.cohen_kappa, twoRaters ? 'no image rated by both, or one label only' : needTwo],
    ['weighted kappa, linear', d.weighted_kappa.linear, d.ci95.weighted_kappa.linear, !twoRaters ? needTwo : !d.ordered ? orderless : 'one label only'],
    ['weighted kappa, quadratic', d.weighted_kappa.quadratic, d.ci95.weighted_kappa.quadratic, !twoRaters ? needTwo : !d.ordered ? orderless : 'one label only'],
    ["Fleiss' kappa", d.fleiss_kappa, d.ci95.fleiss_kappa, 'raters per image differ, or one label only'],
    ["Krippendorff's alpha, nominal", d.krippendorff_alpha.nominal, d.ci95.krippendorff_alpha.nominal, 'no image rated twice, or one label only'],
    ["Krippendorff's alpha, ordinal", d.krippendorff_alpha.ordinal, d.ci95.krippendorff_alpha.ordinal, !d.ordered ? orderless : 'no image rated twice, or one label only'],
    ["Krippendorff's alpha, interval", d.krippendorff_alpha.interval, d.ci95.krippendorff_alpha.interval, !d.ordered ? orderless : 'no image rated twice, or one label only'],
  ];
  // The interval, or why there is none.
  const ciText = (value: number | null, ci: Interval, why: string) => (value === null ? `(${why})` : d.too_few_images ? `(${TOO_FEW})` : ci ? interval(ci) : '(no interval: undefined on too many resamples)');
  out.push(...columns([['', 'value', '95% CI'], ...rows.map(([name, value, ci, why]) => [name, num(value), ciText(value, ci, why)])], 2));
  const m = d.confusion;
  if (m && m.n && m.labels.length <= 20) {
    out.push('', `  Confusion (rows ${m.a}, columns ${m.b}, ${m.n} images rated by both)`);
    out.push(...columns([['', ...m.labels], ...m.labels.map((l, i) => [l, ...m.counts[i].map(String)])]).map((l) => '  ' + l));
  }
  if (d.per_class?.length) {
    out.push('', '  Per class');
    out.push(
      ...columns([
        ['label', m!.a, m!.b, 'both', 'specific agreement', 'kappa'],
        ...d.per_class.map((c) => [c.label, String(c.a_count), String(c.b_count), String(c.both), num(c.specific_agreement), num(c.kappa)]),
      ]).map((l) => '  ' + l),
    );
  }
  return out;
}

function attributeLines(list: AgreementDetails['attributes']): string[] {
  if (!list.length) return [];
  const rows = list.map((a) => {
    const two = a.raters.length === 2;
    const kappa = two ? a.cohen_kappa : a.fleiss_kappa;
    const ci = two ? a.ci95.cohen_kappa : a.ci95.fleiss_kappa;
    const note = !a.pairs ? '(no matched shape with the attribute from two raters)' : a.too_few_images ? `(${TOO_FEW})` : '';
    return [`${a.class} ${a.attribute}`, String(a.pairs), String(a.images_compared), num(kappa), interval(ci), num(a.krippendorff_alpha.nominal), interval(a.ci95.krippendorff_alpha.nominal), note];
  });
  return [
    '',
    "Attributes of matched shapes (compared as categories; kappa is Cohen's for two raters, Fleiss' for more)",
    ...columns([['class attribute', 'pairs', 'images', 'kappa', '95% CI', 'alpha, nominal', '95% CI', ''], ...rows], 7),
  ];
}

function shapeLines(d: AgreementDetails['shapes']): string[] {
  if (!d.pairs.length) return ['Shapes: none to compare (needs two annotators with boxes or polygons)'];
  const head = ['a (reference)', 'b', 'a_count', 'b_count', 'matched', 'precision', 'recall', 'f1', 'mean_iou', 'mean_dice'];
  const row = (a: string, b: string, p: AgreementDetails['shapes']['overall']) => [a, b, String(p.a_count), String(p.b_count), String(p.matched), num(p.precision), num(p.recall), num(p.f1), num(p.mean_iou), num(p.mean_dice)];
  const rows = [head, ...d.pairs.map((p) => row(p.a, p.b, p))];
  if (d.pairs.length > 1) rows.push(row('all pairs', '', d.overall));
  return [`Shapes: matched one-to-one per image and class at IoU >= ${d.iou_threshold}, maximising total IoU`, ...columns(rows)];
}

function agreementTable(d: AgreementDetails, fileCount: number): string[] {
  return [
    `granula agree: ${fileCount} file${fileCount === 1 ? '' : 's'}`,
    '',
    ...labelLines(d.labels),
    '',
    ...shapeLines(d.shapes),
    ...attributeLines(d.attributes),
    '',
    `95% confidence intervals: percentile bootstrap over images, ${BOOTSTRAP_RESAMPLES} resamples, seed ${BOOTSTRAP_SEED}.`,
  ];
}
