import type { ProjectData } from '../../model/projectData';
import type { Problem } from '../shared/paths';
import { MAX_REPORTED_PROBLEMS } from '../shared/validate';

/** The formats Granula writes (and reads). */
export type FormatName = 'shared' | 'coco' | 'geojson' | 'csv' | 'yolo';
export const FORMAT_NAMES: readonly FormatName[] = ['shared', 'coco', 'geojson', 'csv', 'yolo'];
/** Every format Granula reads: the ones it writes, and tools' own exports it only reads. */
export type ReadFormat = FormatName | 'labelstudio' | 'cvat';

export type ReadResult =
  | { ok: true; format: ReadFormat; data: ProjectData; warnings: Problem[] }
  | { ok: false; format?: ReadFormat; problems: Problem[] };

/** Collects a reader's problems (refuse the file) and warnings (kept, but the user should know). */
export class Report {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  get failed(): boolean {
    return this.problems.length > 0;
  }

  /** A hostile file can hold millions of bad values: stop looking once the report is long enough. */
  get full(): boolean {
    return this.problems.length > 10 * MAX_REPORTED_PROBLEMS;
  }

  fail(format: ReadFormat): ReadResult {
    return { ok: false, format, problems: capProblems(this.problems) };
  }
}

export function capProblems(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_REPORTED_PROBLEMS), { path: '(file)', message: `and ${problems.length - MAX_REPORTED_PROBLEMS} more problems` }];
}

/**
 * Runs a reader so that any input yields a result, never an exception: a bug or an input we did not
 * foresee becomes a problem the user sees, and no partial data escapes.
 */
export function guarded(format: ReadFormat, read: () => ReadResult): ReadResult {
  try {
    return read();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, format, problems: [{ path: '(file)', message: `could not be read as ${format}: ${message}` }] };
  }
}
