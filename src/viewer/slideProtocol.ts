import type { SlideInfo } from '../slides/types';

/** Messages between the page and the slide worker (structured-clone safe; bitmaps are transferred). */
export type SlideRequest =
  | { type: 'open'; id: number; files: File[] }
  /** `level` is the slide's own level: 0 is full resolution. */
  | { type: 'tile'; id: number; slideId: number; level: number; col: number; row: number }
  | { type: 'associated'; id: number; slideId: number; name: string }
  | { type: 'bytesRead'; id: number; slideId: number }
  | { type: 'close'; id: number; slideId: number }
  | { type: 'cancel'; id: number };

export type SlideResponse =
  | { type: 'opened'; id: number; slideId: number; info: SlideInfo }
  | { type: 'bitmap'; id: number; bitmap: ImageBitmap | null }
  | { type: 'bytesRead'; id: number; bytes: number }
  | { type: 'closed'; id: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string };
