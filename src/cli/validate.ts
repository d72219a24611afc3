import { readFile } from 'node:fs/promises';
import { problemLine } from '../formats/shared/paths';
import { validateSharedText } from '../formats/shared/validate';
import { contentsLine, type CliIo } from './io';

/**
 * `granula validate FILE`: exit 0 and one summary line, or exit 1 and one line per problem. A label
 * missing a required value fails validation too: the file reads, but it is not finished data.
 */
export async function runValidate(args: string[], io: CliIo): Promise<number> {
  const file = args.find((a) => !a.startsWith('-'));
  if (!file || args.length !== 1) {
    io.err('usage: granula validate FILE');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.out(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 1;
  }
  const result = validateSharedText(text);
  if (!result.ok) {
    for (const p of result.problems) io.out(problemLine(p));
    return 1;
  }
  if (result.incomplete.length) {
    for (const p of result.incomplete) io.out(problemLine(p));
    return 1;
  }
  const d = result.doc;
  const migrated = result.migratedFrom !== d.version ? `, migrated from version ${result.migratedFrom}` : '';
  io.out(
    `${file}: valid ${d.format} v${d.version}${migrated}: schema ${d.schema.id} v${d.schema.version} (${d.schema.granularity}), ` +
      contentsLine(d),
  );
  return 0;
}

