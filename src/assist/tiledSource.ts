import { levelWindow } from './pixelSource';
import type { ImageRect, PixelRegion } from './types';

/**
 * Pixels of a Deep Zoom or IIIF slide for the assistant. Tile URLs are built exactly as
 * OpenSeadragon 6 builds them (DziTileSource / IIIFTileSource.getTileUrl), so tiles the viewer
 * has shown are answered from the browser's HTTP cache. Decoding uses fetch + createImageBitmap +
 * OffscreenCanvas, which exist in dedicated workers (Chromium, Firefox, Safari ≥ 16.4); only the
 * URL arithmetic is unit-tested, the decode path needs a browser.
 */

export interface DziLayout {
  kind: 'dzi';
  /** Base of the tile tree, ending in "_files/": tiles are <tilesUrl><level>/<col>_<row>.<format><query>. */
  tilesUrl: string;
  /** The descriptor URL's query string (OpenSeadragon carries it over to tiles), or "". */
  query: string;
  format: string;
  width: number;
  height: number;
  tileSize: number;
  /** Pixels each tile repeats of its neighbours on every inner side. */
  overlap: number;
}

export interface IiifLayout {
  kind: 'iiif';
  /** The image service's id (`@id` in version 2), without a trailing slash. */
  id: string;
  version: 2 | 3;
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  /** Downsamples the server offers tiles at; empty when it does not say. */
  scaleFactors: number[];
  /** Level-0 compliance: version 2 sizes are then written "w," as OpenSeadragon does. */
  level0: boolean;
  format: string;
}

export type TiledLayout = DziLayout | IiifLayout;

function xmlAttr(xml: string, el: string, name: string): string | undefined {
  const tag = new RegExp(`<(?:\\w+:)?${el}\\b[^>]*>`, 'i').exec(xml)?.[0];
  return tag ? new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1] : undefined;
}

/** Reads a Deep Zoom descriptor (XML or its JSON form) fetched from `descriptorUrl`. */
export function dziLayout(descriptorUrl: string, text: string): DziLayout {
  const t = text.trim();
  let image: Record<string, unknown>;
  if (t.startsWith('{')) {
    const j = JSON.parse(t) as { Image?: Record<string, unknown> & { Size?: Record<string, unknown> } };
    image = { ...j.Image, Width: j.Image?.Size?.Width, Height: j.Image?.Size?.Height };
  } else {
    image = {
      TileSize: xmlAttr(t, 'Image', 'TileSize'), Overlap: xmlAttr(t, 'Image', 'Overlap'), Format: xmlAttr(t, 'Image', 'Format'),
      Width: xmlAttr(t, 'Size', 'Width'), Height: xmlAttr(t, 'Size', 'Height'),
    };
  }
  const layout: DziLayout = {
    kind: 'dzi',
    // OpenSeadragon's own rule: "slide.dzi?x" → "slide_files/".
    tilesUrl: descriptorUrl.replace(/([^/]+?)(\.(dzi|xml|js)?(\?[^/]*)?)?\/?$/, '$1_files/'),
    query: /\.(dzi|xml|js)\?/.test(descriptorUrl) ? (descriptorUrl.match(/\?.*/)?.[0] ?? '') : '',
    format: String(image.Format ?? 'jpg'),
    width: Number(image.Width),
    height: Number(image.Height),
    tileSize: Number(image.TileSize),
    overlap: Number(image.Overlap ?? 0),
  };
  if (![layout.width, layout.height, layout.tileSize].every((v) => Number.isInteger(v) && v > 0) || !(layout.overlap >= 0)) {
    throw new Error('the Deep Zoom descriptor lacks a valid size, tile size or overlap');
  }
  return layout;
}

/** Reads a IIIF Image API info.json (version 2 or 3). */
export function iiifLayout(text: string): IiifLayout {
  const j = JSON.parse(text) as Record<string, unknown>;
  const tiles = (j.tiles as { width?: number; height?: number; scaleFactors?: number[] }[] | undefined)?.[0];
  const context = JSON.stringify(j['@context'] ?? '');
  const profile = JSON.stringify(j.profile ?? '');
  const layout: IiifLayout = {
    kind: 'iiif',
    id: String(j.id ?? j['@id'] ?? '').replace(/\/$/, ''),
    version: context.includes('/image/3') || j.type === 'ImageService3' ? 3 : 2,
    width: Number(j.width),
    height: Number(j.height),
    // OpenSeadragon's default when the service names no tiles.
    tileWidth: tiles?.width ?? 256,
    tileHeight: tiles?.height ?? tiles?.width ?? 256,
    scaleFactors: tiles?.scaleFactors ?? [],
    level0: /level0/.test(profile),
    format: 'jpg',
  };
  if (!layout.id || !(layout.width > 0 && layout.height > 0)) throw new Error('the IIIF info.json lacks an id or a size');
  // A level-0 server serves only fixed sizes unless it says it can scale by width (OpenSeadragon's canBeTiled).
  if (layout.level0 && !/sizeByW/.test(JSON.stringify([j.profile, j.extraFeatures]))) {
    throw new Error('this IIIF server (level 0) serves no tiles at chosen sizes');
  }
  return layout;
}

/** Deep Zoom level of full resolution: level L is the image halved (maxLevel − L) times. */
export function dziMaxLevel(layout: Pick<DziLayout, 'width' | 'height'>): number {
  return Math.ceil(Math.log2(Math.max(layout.width, layout.height)));
}

export interface TileRequest {
  url: string;
  col: number;
  row: number;
  /** Where the fetched image's pixel (0, 0) lands in the buffer (overlap included). */
  x: number;
  y: number;
}

export interface TilePlan {
  /** The buffer: level pixels (col0, row0) … of size width × height, at downsample ds. */
  region: Omit<PixelRegion, 'data'>;
  tiles: TileRequest[];
}

/** The tiles, and where each lands, that cover `rect` (level-0 px) at downsample `ds`. */
export function tilePlan(layout: TiledLayout, rect: ImageRect, ds: number): TilePlan {
  const win = levelWindow(rect, ds);
  const levelW = Math.ceil(layout.width / ds), levelH = Math.ceil(layout.height / ds);
  const tw = layout.kind === 'dzi' ? layout.tileSize : layout.tileWidth;
  const th = layout.kind === 'dzi' ? layout.tileSize : layout.tileHeight;
  if (layout.kind === 'iiif' && layout.scaleFactors.length > 0 && !layout.scaleFactors.includes(ds)) {
    throw new RangeError(`the IIIF server offers no tiles at downsample ${ds}`);
  }
  const tiles: TileRequest[] = [];
  const c0 = Math.max(0, Math.floor(win.col0 / tw)), c1 = Math.min(Math.ceil(levelW / tw), Math.ceil((win.col0 + win.width) / tw));
  const r0 = Math.max(0, Math.floor(win.row0 / th)), r1 = Math.min(Math.ceil(levelH / th), Math.ceil((win.row0 + win.height) / th));
  for (let row = r0; row < r1; row++) {
    for (let col = c0; col < c1; col++) {
      // A Deep Zoom tile repeats `overlap` pixels of each inner neighbour: its image starts that much earlier.
      const ox = layout.kind === 'dzi' && col > 0 ? layout.overlap : 0;
      const oy = layout.kind === 'dzi' && row > 0 ? layout.overlap : 0;
      const url = layout.kind === 'dzi' ? dziTileUrl(layout, ds, col, row) : iiifTileUrl(layout, ds, col, row);
      tiles.push({ url, col, row, x: col * tw - ox - win.col0, y: row * th - oy - win.row0 });
    }
  }
  return { region: { width: win.width, height: win.height, x: win.col0 * ds, y: win.row0 * ds, downsample: ds }, tiles };
}

export function dziTileUrl(layout: DziLayout, ds: number, col: number, row: number): string {
  const level = dziMaxLevel(layout) - Math.log2(ds);
  return `${layout.tilesUrl}${level}/${col}_${row}.${layout.format}${layout.query}`;
}

/** As IIIFTileSource.getTileUrl: region in level-0 px, size in level px, rotation 0, default quality. */
export function iiifTileUrl(layout: IiifLayout, ds: number, col: number, row: number): string {
  const levelW = Math.ceil(layout.width / ds), levelH = Math.ceil(layout.height / ds);
  const rw = layout.tileWidth * ds, rh = layout.tileHeight * ds;
  const x = col * rw, y = row * rh;
  const w = Math.min(rw, layout.width - x), h = Math.min(rh, layout.height - y);
  const region = x === 0 && y === 0 && w === layout.width && h === layout.height ? 'full' : `${x},${y},${w},${h}`;
  const sw = Math.min(layout.tileWidth, levelW - col * layout.tileWidth);
  const sh = Math.min(layout.tileHeight, levelH - row * layout.tileHeight);
  let size: string;
  if (layout.version === 2 && sw === layout.width) size = 'full';
  else if (layout.version === 3 && sw === layout.width && sh === layout.height) size = 'max';
  else if (layout.level0 && layout.version === 2) size = `${sw},`;
  else size = `${sw},${sh}`;
  return `${layout.id}/${region}/${size}/0/default.${layout.format}`;
}

export interface FetchOptions {
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/**
 * Fetches and decodes the tiles covering `rect` at downsample `ds` into one buffer (browser or
 * worker only). Beyond the slide's edge the buffer is white: no stain, so no nucleus is ever
 * found there (transparent black would read as the darkest stain of all).
 */
export async function fetchTiledPixels(layout: TiledLayout, rect: ImageRect, ds: number, opts: FetchOptions = {}): Promise<PixelRegion> {
  const plan = tilePlan(layout, rect, ds);
  const { width, height } = plan.region;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this context');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const doFetch = opts.fetch ?? fetch;
  await Promise.all(
    plan.tiles.map(async (t) => {
      const res = await doFetch(t.url, { signal: opts.signal });
      if (!res.ok) throw new Error(`tile ${t.url} answered ${res.status}`);
      const bitmap = await createImageBitmap(await res.blob());
      ctx.drawImage(bitmap, t.x, t.y);
      bitmap.close();
    }),
  );
  const data = ctx.getImageData(0, 0, width, height).data;
  return { ...plan.region, data };
}
