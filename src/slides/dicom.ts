import { SlideFormatError, type ByteSource, type Slide } from './types';

/** DICOM WSI (VL Whole Slide Microscopy Image): the instances of one series. Being written. */
export async function openDicomWsi(sources: readonly ByteSource[]): Promise<Slide> {
  throw new SlideFormatError(`${sources[0]?.name ?? 'the file'}: DICOM WSI is not read yet`);
}
