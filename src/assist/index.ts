// The outline assistant's public surface: pure pixel algorithms (no DOM, no React) plus the worker client.
export type { ImagePoint, ImageRect, NucleusOptions, PixelRegion } from './types';
export { DEFAULT_NUCLEUS_OPTIONS, nucleusOptions } from './types';
export { clickWindow, outlineAtClick, type OutlineResult } from './outline';
export { proposalPadding, proposeNuclei } from './propose';
export { haematoxylinDensity, haematoxylinOf, RUIFROK_JOHNSTON_HE, type StainVectors } from './stain';
export { levelWindow, syntheticPixels } from './pixelSource';
export { dziLayout, dziTileUrl, fetchTiledPixels, iiifLayout, iiifTileUrl, tilePlan, type DziLayout, type IiifLayout, type TiledLayout, type TilePlan, type TileRequest } from './tiledSource';
export type { AssistRequest, AssistResponse, SlideRef } from './protocol';
export { AssistCancelled, AssistClient, createAssistWorker, type WorkerLike } from './client';
