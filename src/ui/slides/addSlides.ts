import { addImages } from '../../store/actions';
import type { Modality } from '../../model/types';
import { newFileKey, rememberSlideFiles, type FsDirectoryHandle, type FsFileHandle, type FsHandle, filesOf } from '../../storage/slideFiles';
import { isSlideFileName } from '../../slides/fileNames';
import { slideClient } from '../../viewer/slideClient';

/** One slide to add: its files (a TIFF file, or the DICOM instances of one series) and, where the browser has them, handles. */
export interface PickedSlide {
  files: File[];
  handles?: FsHandle[];
}

export interface SlideProblem {
  name: string;
  message: string;
}

declare global {
  interface Window {
    showOpenFilePicker?: (o?: { multiple?: boolean; excludeAcceptAllOption?: boolean }) => Promise<FsFileHandle[]>;
    showDirectoryPicker?: (o?: { mode?: 'read' }) => Promise<FsDirectoryHandle>;
  }
}

const isDicomName = (name: string) => /\.dcm$/i.test(name) || !/\.[a-z0-9]{2,5}$/i.test(name);

/**
 * Groups picked files into slides: every TIFF-family file is a slide of its own; DICOM instances
 * picked together are one slide (the reader says so if they are not one series).
 */
export function groupSlides(files: readonly File[], handles?: readonly FsFileHandle[]): PickedSlide[] {
  const out: PickedSlide[] = [];
  const dicom: PickedSlide = { files: [], handles: handles ? [] : undefined };
  files.forEach((f, i) => {
    const h = handles?.[i];
    if (isDicomName(f.name)) {
      dicom.files.push(f);
      if (h) dicom.handles!.push(h);
    } else out.push({ files: [f], handles: h ? [h] : undefined });
  });
  if (dicom.files.length) out.push(dicom);
  return out;
}

/** The picker with handles where the browser has one (Chromium), so the slide reopens after a reload. */
export async function pickSlideFiles(): Promise<PickedSlide[] | null> {
  if (!window.showOpenFilePicker) return null;
  try {
    const handles = await window.showOpenFilePicker({ multiple: true });
    return groupSlides(await Promise.all(handles.map((h) => h.getFile())), handles);
  } catch (e) {
    if ((e as Error).name === 'AbortError') return [];
    throw e;
  }
}

export async function pickDicomFolder(): Promise<PickedSlide[] | null> {
  if (!window.showDirectoryPicker) return null;
  try {
    const dir = await window.showDirectoryPicker({ mode: 'read' });
    return [{ files: await filesOf([dir]), handles: [dir] }];
  } catch (e) {
    if ((e as Error).name === 'AbortError') return [];
    throw e;
  }
}

/** Files dropped on the worklist: slides go here, JPEG/PNG to the plain image path. */
export async function droppedSlides(items: DataTransferItemList | undefined, files: readonly File[]): Promise<{ slides: PickedSlide[]; images: File[] }> {
  // getAsFileSystemHandle must be called during the drop event, before any await.
  const pending = items
    ? [...items].filter((i) => i.kind === 'file').map((i) => (i as DataTransferItem & { getAsFileSystemHandle?: () => Promise<FsHandle | null> }).getAsFileSystemHandle?.())
    : [];
  const handles = (await Promise.all(pending)).map((h) => h ?? undefined);
  const images: File[] = [];
  const slideFiles: File[] = [];
  const slideHandles: FsFileHandle[] = [];
  const folders: PickedSlide[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const h = handles[i];
    if (h?.kind === 'directory') folders.push({ files: await filesOf([h]), handles: [h] });
    else if (isSlideFileName(f.name)) {
      slideFiles.push(f);
      if (h) slideHandles.push(h);
    } else images.push(f);
  }
  const all = slideHandles.length === slideFiles.length ? groupSlides(slideFiles, slideHandles) : groupSlides(slideFiles);
  return { slides: [...all, ...folders], images };
}

const stem = (name: string) => name.replace(/\.(ome\.)?(svs|tiff?|btf|dcm)$/i, '');

/**
 * Opens each slide in the slide worker (which reads only its headers), remembers how to reach its
 * files and adds it to the worklist with its true size and scale. A file that cannot be read is
 * reported with the reader's words and not added.
 */
export async function addLocalSlides(picked: readonly PickedSlide[], modality: Modality): Promise<SlideProblem[]> {
  const problems: SlideProblem[] = [];
  const ready: Parameters<typeof addImages>[0] = [];
  for (const slide of picked) {
    if (!slide.files.length) continue;
    const first = slide.files[0].name;
    try {
      const client = slideClient();
      const { slideId, info } = await client.open(slide.files);
      void client.close(slideId);
      const fileKey = newFileKey();
      await rememberSlideFiles(fileKey, slide.files, slide.handles);
      const mpp = info.mpp ? (info.mpp.x + info.mpp.y) / 2 : undefined;
      const name = info.format === 'dicom-wsi' && slide.handles?.[0]?.kind === 'directory' ? slide.handles[0].name : stem(first);
      ready.push({
        name,
        modality,
        source: {
          kind: 'slide',
          fileKey,
          fileNames: slide.files.map((f) => f.name),
          bytes: slide.files.reduce((s, f) => s + f.size, 0),
          format: info.format,
          associated: info.associated.length ? info.associated : undefined,
        },
        width: info.width,
        height: info.height,
        ...(mpp ? { mpp } : {}),
      });
    } catch (e) {
      problems.push({ name: first, message: (e as Error).message });
    }
  }
  if (ready.length) addImages(ready);
  return problems;
}

/** Whether files chosen again are this image's slide: the same names and total size. */
export function sameSlide(expected: { fileNames: readonly string[]; bytes: number }, files: readonly File[]): boolean {
  const names = new Set(files.map((f) => f.name));
  return expected.fileNames.every((n) => names.has(n)) && files.filter((f) => expected.fileNames.includes(f.name)).reduce((s, f) => s + f.size, 0) === expected.bytes;
}
