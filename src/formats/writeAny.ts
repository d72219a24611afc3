import type { ProjectData } from '../model/projectData';
import { nowIso } from '../model/ids';
import { writeCoco } from './coco/write';
import { writeCsv } from './csv/write';
import { writeGeoJson } from './geojson/write';
import type { FormatName } from './interchange/result';
import { safeFileName } from './interchange/ids';
import { toSharedDocument } from './shared/convert';
import { writeYolo, type YoloLayout } from './yolo/write';

export interface WriteAnyOptions {
  /** Time stamp written into the file (default: now). Fixed in tests. */
  exportedAt?: string;
  /** YOLO only: the dataset folder trainers read (default) or one text with `# image:` blocks. */
  yoloLayout?: YoloLayout;
}

export interface WrittenFiles {
  /** Names are relative and safe to join to an output folder; a YOLO dataset uses sub-folders (`labels/`). */
  files: { name: string; text: string }[];
  /** What the format could not carry, one sentence each. */
  warnings: string[];
  /**
   * YOLO dataset only: where each image's own file goes, `images/<stem><ext>`, for a caller that
   * holds the image files (`ext` is "" when the image's name has none: use the file's own type).
   */
  images?: { imageId: string; stem: string; ext: string }[];
}

/** Writes a project in any supported format. JSON is compact: a slide can carry a million outlines. */
export function writeAny(data: ProjectData, format: FormatName, opts: WriteAnyOptions = {}): WrittenFiles {
  const exportedAt = opts.exportedAt ?? nowIso();
  const base = safeFileName(data.project.name);
  switch (format) {
    case 'shared':
      return { files: [{ name: `${base}.granula.json`, text: JSON.stringify(toSharedDocument(data, { exportedAt })) + '\n' }], warnings: [] };
    case 'coco': {
      const { coco, warnings } = writeCoco(data, { exportedAt });
      return { files: [{ name: `${base}.coco.json`, text: JSON.stringify(coco) + '\n' }], warnings };
    }
    case 'geojson': {
      const { files, warnings } = writeGeoJson(data, { exportedAt });
      return { files: files.map((f) => ({ name: f.name, text: JSON.stringify(f.collection) + '\n' })), warnings };
    }
    case 'csv': {
      const { text, warnings } = writeCsv(data);
      return { files: [{ name: `${base}.csv`, text }], warnings };
    }
    case 'yolo':
      return writeYolo(data, opts.yoloLayout ?? 'dataset');
  }
}
