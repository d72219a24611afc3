import { processIo, type CliIo } from './io';

const USAGE = `usage:
  granula validate FILE
  granula convert IN --to shared|coco|geojson|csv|yolo -o OUT [--images DIR] [--image-size W,H] [--classes FILE] [--instances FILE]
  granula agree FILE... [--iou 0.5] [--json]
  granula merge BASE RETURN... -o OUT [--as NAME]
  granula nuclei IMAGE.png|.jpg|.tif --mpp M [--stain auto|he|hdab] [--region x,y,w,h] -o OUT.geojson
  granula info SLIDE
  granula region SLIDE --x X --y Y --w W --h H [--level L] -o OUT.png
  granula deid IN... -o OUTDIR --key KEYFILE`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate':
      return (await import('./validate')).runValidate(rest, io);
    case 'convert':
      return (await import('./convert')).runConvert(rest, io);
    case 'agree':
      return (await import('./agree')).runAgree(rest, io);
    case 'merge':
      return (await import('./merge')).runMerge(rest, io);
    case 'nuclei':
      return (await import('./nuclei')).runNuclei(rest, io);
    case 'info':
      return (await import('./slide')).runInfo(rest, io);
    case 'region':
      return (await import('./slide')).runRegion(rest, io);
    case 'deid':
      return (await import('./deid')).runDeid(rest, io);
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
