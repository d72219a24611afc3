// @vitest-environment jsdom
import OpenSeadragon from 'openseadragon';
import { describe, expect, it } from 'vitest';
import { imagePoint, imageToScreen } from './coords';
import { viewTransformFromViewport } from './osdTransform';

const IMAGE_WIDTH = 100_000;
const IMAGE_HEIGHT = 80_000;

/**
 * A real OpenSeadragon Viewport without a Viewer (jsdom has no canvas to draw with). The viewer
 * normally sets the content bounds from the world; we do the same for a single image.
 */
function standaloneViewport(degrees = 0): OpenSeadragon.Viewport {
  // Rotation is given at construction: rotateTo needs a viewer's drawer.
  const viewport = new OpenSeadragon.Viewport({
    containerSize: new OpenSeadragon.Point(1280, 800),
    contentSize: new OpenSeadragon.Point(1, IMAGE_HEIGHT / IMAGE_WIDTH),
    degrees,
  } as OpenSeadragon.ViewportOptions);
  const internal = viewport as unknown as { _setContentBounds(bounds: OpenSeadragon.Rect, factor: number): void };
  internal._setContentBounds(new OpenSeadragon.Rect(0, 0, 1, IMAGE_HEIGHT / IMAGE_WIDTH), IMAGE_WIDTH);
  viewport.goHome(true);
  return viewport;
}

/** Where OpenSeadragon draws an image point: its own mapping, mirrored by the drawer when flipped. */
function osdScreen(viewport: OpenSeadragon.Viewport, flipped: boolean, x: number, y: number): { x: number; y: number } {
  const p = viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
  return flipped ? { x: viewport.getContainerSize().x - p.x, y: p.y } : { x: p.x, y: p.y };
}

describe('viewTransformFromViewport', () => {
  for (const degrees of [0, 90, 180, 270, 30]) {
    for (const flipped of [false, true]) {
      it(`agrees with OpenSeadragon at rotation ${degrees}${flipped ? ', flipped' : ''}`, () => {
        const viewport = standaloneViewport(degrees);
        viewport.zoomTo(37.5, undefined, true);
        viewport.panTo(new OpenSeadragon.Point(0.31, 0.52), true);
        viewport.update();
        // setFlip reaches for the viewer's navigator; set the state directly.
        (viewport as unknown as { flipped: boolean }).flipped = flipped;

        const t = viewTransformFromViewport(viewport);
        expect(t.rotation).toBeCloseTo(degrees, 9);
        expect(t.flip).toBe(flipped);
        for (const [x, y] of [[31_000, 52_000], [30_990, 52_010], [31_015.5, 51_980.25]]) {
          const ours = imageToScreen(t, imagePoint(x, y));
          const theirs = osdScreen(viewport, flipped, x, y);
          expect(Math.abs(ours.x - theirs.x)).toBeLessThan(1e-6);
          expect(Math.abs(ours.y - theirs.y)).toBeLessThan(1e-6);
        }
      });
    }
  }

  it('reads the zoom as screen pixels per image pixel', () => {
    const viewport = standaloneViewport();
    // Home fits the whole 100 000 × 80 000 image: the 800 px height limits it.
    expect(viewTransformFromViewport(viewport).scale).toBeCloseTo(800 / IMAGE_HEIGHT, 12);
    viewport.zoomBy(4, undefined, true);
    viewport.update();
    expect(viewTransformFromViewport(viewport).scale).toBeCloseTo((4 * 800) / IMAGE_HEIGHT, 12);
  });
});
