import type { FormatName } from '../formats/detect';
import type { WriteProgress } from '../formats/shared/stream';
import { safeFileName } from '../formats/interchange/ids';
import { writeAny } from '../formats/writeAny';
import { zipStore } from '../formats/zip';
import type { ProjectData } from '../model/projectData';
import { loadProjectBlobs } from '../store/workspace';
import { chunksToBlob, EXPORT_MIME as MIME, ExportCancelled, streamedExportFile, type WriteControl } from '../store/exportWrite';

export { chunksToBlob, ExportCancelled, type WriteControl };

/** One file handed to the browser's download. */
export interface Download {
  name: string;
  parts: BlobPart[];
  mime: string;
}

const IMAGE_EXTENSIONS: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/tiff': '.tif', 'image/webp': '.webp', 'image/bmp': '.bmp' };

export function textDownload(name: string, text: string): Download {
  return { name, parts: [text], mime: MIME[name.split('.').pop() ?? ''] ?? 'application/octet-stream' };
}

/** A shared-format document as its download, written from its chunks. */
export async function sharedDownload(name: string, chunks: (progress: WriteProgress) => Iterable<Uint8Array>, annotations: number, control: WriteControl = {}): Promise<Download> {
  const progress: WriteProgress = { done: 0 };
  const blob = await chunksToBlob(chunks(progress), () => progress.done / Math.max(1, annotations), control, MIME.json);
  return { name, parts: [blob], mime: MIME.json };
}

/**
 * A project in a foreign format as downloads, one per export: a format of one file as that file;
 * several files as one .zip holding a folder: a YOLO dataset (with `images/` when asked and the
 * image files are in this browser), or QuPath GeoJSON with one FeatureCollection per image.
 */
export async function foreignDownloads(data: ProjectData, format: Exclude<FormatName, 'shared'>, opts: { includeImages: boolean }, control: WriteControl = {}): Promise<{ downloads: Download[]; warnings: string[] }> {
  if (format === 'geojson' || format === 'coco') {
    // Written from the streaming writers' chunks (never one string), as the export worker writes them.
    const file = await streamedExportFile(data, format, {}, control);
    const blob = await chunksToBlob(file.chunks, file.progress, control, file.mime);
    return { downloads: [{ name: file.name, parts: [blob], mime: file.mime }], warnings: [...file.warnings] };
  }
  const written = writeAny(data, format, { yoloLayout: 'dataset' });
  const warnings = [...written.warnings];
  if (format !== 'yolo' && written.files.length === 1) return { downloads: [textDownload(written.files[0].name, written.files[0].text)], warnings };
  const folder = `${safeFileName(data.project.name)}-${format}`;
  const entries: { name: string; data: Uint8Array | string }[] = written.files.map((f) => ({ name: `${folder}/${f.name}`, data: f.text }));
  if (format === 'yolo' && opts.includeImages && written.images?.length) {
    const blobs = new Map((await loadProjectBlobs(data.project.id)).map((b) => [b.blobId, b]));
    const byId = new Map(data.images.map((im) => [im.id, im]));
    let missing = 0;
    for (const slot of written.images) {
      const source = byId.get(slot.imageId)?.source;
      const blob = source?.kind === 'file' ? blobs.get(source.blobId) : undefined;
      if (!blob) {
        missing++;
        continue;
      }
      entries.push({ name: `${folder}/images/${slot.stem}${slot.ext || IMAGE_EXTENSIONS[blob.mime] || ''}`, data: new Uint8Array(await blob.data.arrayBuffer()) });
    }
    if (missing) warnings.push(`${missing} of ${written.images.length} images are not files added in this browser (demo or linked images), so they are not in images/`);
  } else if (format === 'yolo' && written.images?.length) {
    warnings.push('no images/ folder: copy the image files into images/, each named as its label file (labels/frame-001.txt, images/frame-001.jpg), or export again with the image files');
  }
  return { downloads: [{ name: `${folder}.zip`, parts: zipStore(entries) as BlobPart[], mime: MIME.zip }], warnings };
}
