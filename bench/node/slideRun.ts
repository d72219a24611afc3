// One slide workload in-process, through the code `granula info` and `granula region` run: open the
// slide (what `info` prints), then read a region. Prints times and the bytes read from the file.
import { nodeTileDecoders } from '../../src/cli/slideDecoders';
import { openFileSource } from '../../src/cli/slideFiles';
import { openSlide } from '../../src/slides/open';
import { readRegion } from '../../src/slides/region';

const [path, x, y, w, h, level = '0'] = process.argv.slice(2);
const source = await openFileSource(path);
const t0 = performance.now();
const slide = await openSlide([source]);
const openMs = performance.now() - t0;
const infoBytes = slide.bytesRead();
const t1 = performance.now();
const region = await readRegion(slide, nodeTileDecoders, Number(level), Number(x), Number(y), Number(w), Number(h));
const regionMs = performance.now() - t1;
await source.close();
console.log(JSON.stringify({ fileBytes: source.size, levels: slide.info.levels.length, openMs, infoBytes, regionMs, regionBytes: slide.bytesRead() - infoBytes, regionPixels: region.width * region.height }));
