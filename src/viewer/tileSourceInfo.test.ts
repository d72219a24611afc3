import { describe, expect, it } from 'vitest';
import { explainFetchFailure, fetchSlideInfo, parseDzi, parseIiifInfo } from './tileSourceInfo';

describe('slide descriptors', () => {
  it('reads a Deep Zoom descriptor', () => {
    const xml = `<?xml version="1.0"?><Image xmlns="http://schemas.microsoft.com/deepzoom/2008" TileSize="254" Overlap="1" Format="jpeg"><Size Width="46000" Height="32914"/></Image>`;
    expect(parseDzi(xml)).toEqual({ kind: 'dzi', width: 46000, height: 32914 });
  });
  it('reads a IIIF info.json', () => {
    const info = { '@context': 'http://iiif.io/api/image/3/context.json', id: 'x', type: 'ImageService3', width: 6000, height: 4000 };
    expect(parseIiifInfo(JSON.stringify(info))).toEqual({ kind: 'iiif', width: 6000, height: 4000 });
  });
  it('refuses a descriptor without a size', () => {
    expect(() => parseDzi('<Image TileSize="256"></Image>')).toThrow('the descriptor has no valid width and height');
  });
  it('explains an unreachable or failing server', async () => {
    await expect(fetchSlideInfo('https://slides.example/a.dzi', async () => { throw new TypeError('Failed to fetch'); })).rejects.toThrow('the server could not be reached');
    // Reachable without CORS: the no-cors probe answers, the CORS request failed.
    const noCors = (async (_u: string, init?: RequestInit) => {
      if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(fetchSlideInfo('http://127.0.0.1:9000/a.dzi', noCors)).rejects.toThrow(/server at http:\/\/127\.0\.0\.1:9000 answered but .*Access-Control-Allow-Origin/);
    await expect(fetchSlideInfo('https://slides.example/a.dzi', async () => new Response('no', { status: 404, statusText: 'Not Found' }))).rejects.toThrow('the server answered 404');
    await expect(fetchSlideInfo('ftp://x/y')).rejects.toThrow('only http and https');
  });
  it('names the page policy when it blocked the URL', () => {
    expect(explainFetchFailure(new URL('http://10.1.2.3:8080/s.dzi'), { blockedByPolicy: true, reachable: false }, 'Failed to fetch')).toBe(
      "this page's security policy does not allow http://10.1.2.3:8080: add it to img-src and connect-src of the deployment's Content-Security-Policy (see docs/SLIDES.md)",
    );
  });
});
