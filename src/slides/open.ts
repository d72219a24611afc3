/** Opening a slide from its bytes: which reader, by the file's signature, and what the file picker offers. */
import { openDicomWsi } from './dicom';
import { CONVERT_HINT, openTiff } from './tiff';
import { isTiffSignature } from './tiffFile';
import { SlideFormatError, type ByteSource, type Slide } from './types';

export { isSlideFileName } from './fileNames';

/** DICOM Part 10: a 128-byte preamble, then "DICM". */
function isDicom(head: Uint8Array): boolean {
  return head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d;
}

/**
 * A slide from one file (TIFF family) or the instances of one DICOM WSI series. Throws a
 * SlideFormatError naming the file and, where one exists, the conversion that makes it readable.
 */
export async function openSlide(sources: readonly ByteSource[]): Promise<Slide> {
  if (sources.length === 0) throw new SlideFormatError('no slide file given');
  const [first] = sources;
  if (/\.(mrxs|vms)$/i.test(first.name)) throw new SlideFormatError(`${first.name} is a ${/\.mrxs$/i.test(first.name) ? '3DHISTECH MIRAX' : 'Hamamatsu VMS'} slide (an index file beside a folder of tiles), which Granula does not read; convert it with ${CONVERT_HINT}`);
  const head = await first.read(0, 132);
  if (isDicom(head)) return openDicomWsi(sources);
  if (sources.length > 1) throw new SlideFormatError(`${first.name}: several files make one slide only for DICOM WSI; open a TIFF slide on its own`);
  if (isTiffSignature(head)) return openTiff(first);
  throw new SlideFormatError(`${first.name} is not a slide file Granula reads (Aperio SVS, pyramidal TIFF, OME-TIFF or DICOM WSI); convert it with ${CONVERT_HINT}`);
}
