/**
 * "1 image", "2 images": a count with its English noun, numbers grouped as in English. For text
 * stored or printed in English whatever the user's language (audit trail details, CLI output).
 */
export function englishCount(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${new Intl.PluralRules('en-US').select(n) === 'one' ? noun : plural}`;
}
