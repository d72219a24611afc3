import { addImages } from '../store/actions';
import { saveBlob } from '../store/workspace';
import type { Modality } from '../model/types';

export interface FileProblem {
  fileName: string;
}

async function imageSize(file: Blob): Promise<{ width: number; height: number } | null> {
  try {
    const bmp = await createImageBitmap(file);
    const size = { width: bmp.width, height: bmp.height };
    bmp.close();
    return size.width > 0 && size.height > 0 ? size : null;
  } catch {
    return null;
  }
}

/** Stores local JPEG/PNG files in the browser and adds them to the worklist; unreadable files are reported, not added. */
export async function addLocalImageFiles(projectId: string, files: readonly File[], modality: Modality): Promise<FileProblem[]> {
  const problems: FileProblem[] = [];
  const ready: Parameters<typeof addImages>[0] = [];
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))) {
    const okType = /^image\/(jpeg|png)$/.test(file.type) || /\.(jpe?g|png)$/i.test(file.name);
    const size = okType ? await imageSize(file) : null;
    if (!size) {
      problems.push({ fileName: file.name });
      continue;
    }
    const mime = file.type || (/\.png$/i.test(file.name) ? 'image/png' : 'image/jpeg');
    const blobId = await saveBlob(projectId, file, mime);
    ready.push({ name: file.name, modality, source: { kind: 'file', blobId, mime, fileName: file.name }, ...size });
  }
  if (ready.length) addImages(ready);
  return problems;
}
