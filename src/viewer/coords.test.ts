import Konva from 'konva';
import { describe, expect, it } from 'vitest';
import {
  imagePoint,
  imageToScreen,
  overlayLayerTransform,
  screenPoint,
  screenToImage,
  viewportImageBounds,
  type ViewTransform,
} from './coords';

const EPS = 1e-9;

/** A 1000×800 image fitted whole into an 800×600 viewport, centred. */
function view(rotation: number, flip = false, scale = 0.5): ViewTransform {
  return { centerImage: imagePoint(500, 400), scale, rotation, flip, viewportSize: { width: 800, height: 600 } };
}

function expectClose(actual: { x: number; y: number }, x: number, y: number): void {
  expect(Math.abs(actual.x - x)).toBeLessThan(EPS);
  expect(Math.abs(actual.y - y)).toBeLessThan(EPS);
}

const samples = [imagePoint(0, 0), imagePoint(1000, 800), imagePoint(123.25, -77.5), imagePoint(99_999.5, 79_999.5), imagePoint(500, 400)];

describe('imageToScreen / screenToImage', () => {
  for (const rotation of [0, 90, 180, 270, 37.5, -90, 450]) {
    for (const flip of [false, true]) {
      it(`round-trips at rotation ${rotation}${flip ? ' flipped' : ''}`, () => {
        const t = view(rotation, flip, 0.0371);
        for (const p of samples) expectClose(screenToImage(t, imageToScreen(t, p)), p.x, p.y);
        for (const s of [screenPoint(0, 0), screenPoint(800, 600), screenPoint(13.5, 590.25)]) {
          expectClose(imageToScreen(t, screenToImage(t, s)), s.x, s.y);
        }
      });
    }
  }

  it('puts the centre image point at the viewport centre whatever the rotation', () => {
    for (const r of [0, 90, 180, 270]) expectClose(imageToScreen(view(r, r === 90), imagePoint(500, 400)), 400, 300);
  });

  it('maps the image top-left to the screen top-left at rotation 0', () => {
    expectClose(imageToScreen(view(0), imagePoint(0, 0)), 150, 100);
    expectClose(imageToScreen(view(0), imagePoint(1000, 800)), 650, 500);
  });

  it('turns the image clockwise at rotation 90: its top-left lands at the top-right', () => {
    // Rotated, the 1000×800 image spans 400 px wide and 500 px tall around (400, 300).
    expectClose(imageToScreen(view(90), imagePoint(0, 0)), 600, 50);
    expectClose(imageToScreen(view(90), imagePoint(1000, 0)), 600, 550);
    expectClose(imageToScreen(view(90), imagePoint(0, 800)), 200, 50);
  });

  it('puts the image top-left at the bottom-right at rotation 180 and the bottom-left at 270', () => {
    expectClose(imageToScreen(view(180), imagePoint(0, 0)), 650, 500);
    expectClose(imageToScreen(view(270), imagePoint(0, 0)), 200, 550);
  });

  it('mirrors about the vertical centre line when flipped, as OpenSeadragon does', () => {
    expectClose(imageToScreen(view(0, true), imagePoint(0, 0)), 650, 100);
    // Flip applies after rotation: the rotated top-right corner (600, 50) mirrors to (200, 50).
    expectClose(imageToScreen(view(90, true), imagePoint(0, 0)), 200, 50);
  });

  it('scales distances by the zoom', () => {
    const t = view(0, false, 4);
    const a = imageToScreen(t, imagePoint(10, 10));
    const b = imageToScreen(t, imagePoint(11, 10));
    expectClose({ x: b.x - a.x, y: b.y - a.y }, 4, 0);
  });
});

describe('overlayLayerTransform', () => {
  for (const rotation of [0, 90, 180, 270, 12.5]) {
    for (const flip of [false, true]) {
      it(`makes a Konva group drawn in image pixels land where imageToScreen says (rotation ${rotation}${flip ? ', flipped' : ''})`, () => {
        const t = view(rotation, flip, 1.75);
        const group = new Konva.Group(overlayLayerTransform(t));
        for (const p of samples) {
          const s = imageToScreen(t, p);
          const k = group.getTransform().point({ x: p.x, y: p.y });
          expect(Math.abs(k.x - s.x)).toBeLessThan(1e-6);
          expect(Math.abs(k.y - s.y)).toBeLessThan(1e-6);
        }
      });
    }
  }
});

describe('viewportImageBounds', () => {
  it('is the visible image rectangle at rotation 0', () => {
    expect(viewportImageBounds(view(0))).toEqual({ minX: -300, minY: -200, maxX: 1300, maxY: 1000 });
  });

  it('swaps extents at rotation 90 and grows with a margin', () => {
    const b = viewportImageBounds(view(90), 10);
    expect(b.minX).toBeCloseTo(500 - 620, 9);
    expect(b.maxX).toBeCloseTo(500 + 620, 9);
    expect(b.minY).toBeCloseTo(400 - 820, 9);
    expect(b.maxY).toBeCloseTo(400 + 820, 9);
  });
});
