// @vitest-environment jsdom
import OpenSeadragon from 'openseadragon';
import { describe, expect, it } from 'vitest';
import { dziLayout, dziMaxLevel, dziTileUrl, iiifLayout, iiifTileUrl, tilePlan } from './tiledSource';

const DZI_XML = `<?xml version="1.0" encoding="UTF-8"?>
<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" TileSize="254" Overlap="1" Format="jpeg"><Size Width="10000" Height="7000"/></Image>`;

function iiifInfo(version: 2 | 3, level0 = false) {
  return JSON.stringify(
    version === 2
      ? { '@context': 'http://iiif.io/api/image/2/context.json', '@id': 'https://iiif.example/img/abc', width: 10000, height: 7000, profile: level0 ? ['http://iiif.io/api/image/2/level0.json', { supports: ['sizeByW'] }] : ['http://iiif.io/api/image/2/level1.json'], tiles: [{ width: 512, scaleFactors: [1, 2, 4, 8, 16, 32] }] }
      : { '@context': 'http://iiif.io/api/image/3/context.json', id: 'https://iiif.example/img/abc', type: 'ImageService3', width: 10000, height: 7000, profile: 'level1', tiles: [{ width: 512, scaleFactors: [1, 2, 4, 8, 16, 32] }] },
  );
}

describe('Deep Zoom tiles', () => {
  const layout = dziLayout('https://slides.example/a/slide.dzi?token=x', DZI_XML);

  it('reads the descriptor and derives the tile base as OpenSeadragon does', () => {
    expect(layout).toMatchObject({ tilesUrl: 'https://slides.example/a/slide_files/', query: '?token=x', format: 'jpeg', width: 10000, height: 7000, tileSize: 254, overlap: 1 });
    expect(dziMaxLevel(layout)).toBe(14);
  });

  it('builds the same tile URLs as OpenSeadragon at every downsample', () => {
    const osd = new OpenSeadragon.DziTileSource(10000, 7000, 254, 1, layout.tilesUrl, 'jpeg', [], 0, 14);
    (osd as unknown as { queryParams: string }).queryParams = '?token=x';
    for (const [ds, col, row] of [[1, 0, 0], [1, 39, 27], [2, 5, 3], [16, 1, 1]]) {
      expect(dziTileUrl(layout, ds, col, row)).toBe(osd.getTileUrl(14 - Math.log2(ds), col, row));
    }
  });

  it('places tiles in the buffer with their overlap, and covers the rect', () => {
    const plan = tilePlan(layout, { x: 500, y: 300, w: 100, h: 40 }, 2);
    // Level pixels 250…299 × 150…169 at downsample 2: tile columns 0 and 1, row 0.
    expect(plan.region).toEqual({ x: 500, y: 300, width: 50, height: 20, downsample: 2 });
    expect(plan.tiles.map((t) => [t.col, t.row, t.x, t.y])).toEqual([[0, 0, -250, -150], [1, 0, 254 - 1 - 250, -150]]);
    expect(plan.tiles[1].url).toBe('https://slides.example/a/slide_files/13/1_0.jpeg?token=x');
  });

  it('asks for no tile beyond the slide', () => {
    const plan = tilePlan(layout, { x: 9990, y: 6990, w: 100, h: 100 }, 1);
    expect(plan.tiles.map((t) => [t.col, t.row])).toEqual([[39, 27]]);
  });
});

describe('IIIF tiles', () => {
  it('reads version 2 and 3 info.json', () => {
    expect(iiifLayout(iiifInfo(2))).toMatchObject({ id: 'https://iiif.example/img/abc', version: 2, tileWidth: 512, tileHeight: 512, level0: false });
    expect(iiifLayout(iiifInfo(3))).toMatchObject({ id: 'https://iiif.example/img/abc', version: 3 });
    expect(iiifLayout(iiifInfo(2, true)).level0).toBe(true);
  });

  it('builds the same tile URLs as OpenSeadragon, edge tiles included', () => {
    for (const info of [iiifInfo(2), iiifInfo(3), iiifInfo(2, true)]) {
      const layout = iiifLayout(info);
      // configure() is how OpenSeadragon reads an info.json (it sets the API version).
      const proto = OpenSeadragon.IIIFTileSource.prototype as unknown as { configure(data: unknown, url: string): object };
      const osd = new OpenSeadragon.IIIFTileSource(proto.configure(JSON.parse(info), 'https://iiif.example/img/abc/info.json') as never);
      const max = osd.maxLevel;
      for (const [ds, col, row] of [[1, 0, 0], [1, 3, 2], [1, 19, 13], [2, 9, 6], [4, 4, 3], [8, 2, 1]]) {
        expect(iiifTileUrl(layout, ds, col, row), `${info.slice(0, 60)} ds ${ds} ${col},${row}`).toBe(osd.getTileUrl(max - Math.log2(ds), col, row));
      }
    }
  });

  it('refuses a level-0 server that cannot scale tiles, as OpenSeadragon would not tile it', () => {
    const info = { ...JSON.parse(iiifInfo(2)), profile: ['http://iiif.io/api/image/2/level0.json'] };
    expect(() => iiifLayout(JSON.stringify(info))).toThrow(/level 0/);
  });

  it('refuses a downsample the server has no tiles for', () => {
    expect(() => tilePlan(iiifLayout(iiifInfo(3)), { x: 0, y: 0, w: 10, h: 10 }, 64)).toThrow(/no tiles at downsample 64/);
  });
});
