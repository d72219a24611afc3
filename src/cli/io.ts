import { englishCount } from '../model/words';
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** What a project file holds, in one phrase: "2 images, 1 annotator, 4 annotations". */
export function contentsLine(d: { images: readonly unknown[]; annotators: readonly unknown[]; annotations: readonly unknown[] }): string {
  return `${englishCount(d.images.length, 'image')}, ${englishCount(d.annotators.length, 'annotator')}, ${englishCount(d.annotations.length, 'annotation')}`;
}
