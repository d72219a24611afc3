import type { PolygonGeometry } from '../model/types';
import type { OutlineResult } from './outline';
import type { TiledLayout } from './tiledSource';
import type { ImagePoint, ImageRect, NucleusOptions, PixelRegion } from './types';

/** The messages between the page and the assistant's worker. Plain data: structured-clone safe. */

/** Which pixels to work on. */
export type SlideRef =
  | { kind: 'synthetic'; seed: number }
  /** A Deep Zoom or IIIF slide: the worker fetches the tiles it needs (see tiledSource.ts). */
  | { kind: 'tiled'; layout: TiledLayout }
  /** Pixels the page already holds, e.g. read back from the viewer; transferred, not copied. */
  | { kind: 'pixels'; pixels: PixelRegion }
  /** A plain image file (PNG, JPEG) stored in the browser: the worker decodes it once per `key` and keeps it. */
  | { kind: 'file'; key: string; blob: Blob }
  /** A slide file (or DICOM series) on disk: the worker opens it once per `key` and reads the regions it needs. */
  | { kind: 'slide'; key: string; files: File[] };

export type AssistRequest =
  | {
      type: 'outline';
      id: number;
      slide: SlideRef;
      click: ImagePoint;
      /** Level-0 px per buffer px: the zoom the annotator is looking at (1, 2, 4, …). */
      downsample: number;
      options?: Partial<NucleusOptions>;
    }
  | { type: 'propose'; id: number; slide: SlideRef; rect: ImageRect; downsample: number; options?: Partial<NucleusOptions> }
  /** Drop request `id`: skipped if not started, its fetches aborted if fetching; its answer is then `cancelled`. */
  | { type: 'cancel'; id: number };

export type AssistResponse =
  | { type: 'outline'; id: number; result: OutlineResult; ms: number }
  | { type: 'propose'; id: number; result: PolygonGeometry[]; ms: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string };
