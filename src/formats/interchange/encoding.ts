import { binaryFileProblem, binaryKindOfText } from './signature';

export const NOT_UTF8 = 'is not valid UTF-8 text (save it as UTF-8; Latin-1 or Shift_JIS files need converting)';

/**
 * Why a text read as UTF-8 (the browser's File.text()) is not usable, or null. An image or archive
 * picked by mistake is named for what it is; saving as UTF-16 or in a legacy code page (Latin-1,
 * Shift_JIS) is a common slip of spreadsheet tools.
 */
export function encodingProblem(text: string): string | null {
  const binary = binaryFileProblem(binaryKindOfText(text));
  if (binary) return binary;
  const sample = text.slice(0, 4096);
  let nul = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0) nul++;
  if (nul > sample.length / 8) return 'looks like UTF-16 text (save it as UTF-8)';
  if (text.includes('\uFFFD')) return NOT_UTF8;
  return null;
}
