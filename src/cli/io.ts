export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** "1 image", "2 images": English plural rules, numbers grouped as in English. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${new Intl.PluralRules('en-US').select(n) === 'one' ? noun : `${noun}s`}`;
}

/** What a project file holds, in one phrase: "2 images, 1 annotator, 4 annotations". */
export function contentsLine(d: { images: readonly unknown[]; annotators: readonly unknown[]; annotations: readonly unknown[] }): string {
  return `${count(d.images.length, 'image')}, ${count(d.annotators.length, 'annotator')}, ${count(d.annotations.length, 'annotation')}`;
}
