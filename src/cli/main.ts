import { runAgree } from './agree';
import { runConvert } from './convert';
import { runMerge } from './merge';
import { runInfo, runRegion } from './slide';
import { processIo, type CliIo } from './io';
import { runValidate } from './validate';

const USAGE = `usage:
  granula validate FILE
  granula convert IN --to shared|coco|geojson|csv|yolo -o OUT [--images DIR] [--image-size W,H] [--classes FILE] [--instances FILE]
  granula agree FILE... [--iou 0.5] [--json]
  granula merge BASE RETURN... -o OUT [--as NAME]
  granula info SLIDE
  granula region SLIDE --x X --y Y --w W --h H [--level L] -o OUT.png`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate':
      return runValidate(rest, io);
    case 'convert':
      return runConvert(rest, io);
    case 'agree':
      return runAgree(rest, io);
    case 'merge':
      return runMerge(rest, io);
    case 'info':
      return runInfo(rest, io);
    case 'region':
      return runRegion(rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return 0;
    default:
      io.err(command ? `granula: unknown command "${command}"\n${USAGE}` : USAGE);
      return 2;
  }
}
