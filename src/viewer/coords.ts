/**
 * The one place that converts between screen space (CSS pixels of the viewer element, origin at its
 * top-left) and image space (level-0 image pixels, x right, y down). Pure: no OpenSeadragon, no DOM.
 *
 * Screen = centre of viewport + Flip · Rotate(rotation) · scale · (image − centreImage).
 * Rotation is clockwise on screen (y down), as OpenSeadragon and Konva both use; flip mirrors the
 * screen horizontally about the viewport centre after rotating, as OpenSeadragon's viewport flip does.
 */

import { imagePoint, screenPoint, type ImagePoint, type ScreenPoint } from '../model/points';

export { imagePoint, screenPoint, type ImagePoint, type ScreenPoint };

export interface ViewportSize {
  width: number;
  height: number;
}

export interface ViewTransform {
  /** The image point shown at the centre of the viewport. */
  centerImage: ImagePoint;
  /** Screen pixels per image pixel. */
  scale: number;
  /** Degrees, clockwise on screen. Any angle works; multiples of 90 are exact. */
  rotation: number;
  /** Mirror horizontally on screen (OpenSeadragon's viewport flip). */
  flip?: boolean;
  viewportSize: ViewportSize;
}

/** Konva node attributes (`x`, `y`, `scaleX`, `scaleY`, `rotation`) that place image coordinates on screen. */
export interface LayerTransform {
  x: number;
  y: number;
  scaleX: number;
  scaleY: number;
  rotation: number;
}

export interface ImageBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** cos and sin of an angle in degrees, exact for multiples of 90 so round trips at right angles lose nothing. */
export function cosSinDegrees(degrees: number): [number, number] {
  const d = ((degrees % 360) + 360) % 360;
  if (d === 0) return [1, 0];
  if (d === 90) return [0, 1];
  if (d === 180) return [-1, 0];
  if (d === 270) return [0, -1];
  const r = (d * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

/** The linear part (2×2, row-major a b / c d) mapping an image offset to a screen offset. */
function linearPart(t: ViewTransform): [number, number, number, number] {
  const [cos, sin] = cosSinDegrees(t.rotation);
  const s = t.scale;
  const f = t.flip ? -1 : 1;
  return [f * s * cos, -f * s * sin, s * sin, s * cos];
}

export function imageToScreen(t: ViewTransform, p: ImagePoint): ScreenPoint {
  const [a, b, c, d] = linearPart(t);
  const dx = p.x - t.centerImage.x;
  const dy = p.y - t.centerImage.y;
  return screenPoint(t.viewportSize.width / 2 + a * dx + b * dy, t.viewportSize.height / 2 + c * dx + d * dy);
}

export function screenToImage(t: ViewTransform, p: ScreenPoint): ImagePoint {
  const [a, b, c, d] = linearPart(t);
  const det = a * d - b * c;
  const dx = p.x - t.viewportSize.width / 2;
  const dy = p.y - t.viewportSize.height / 2;
  return imagePoint(t.centerImage.x + (d * dx - b * dy) / det, t.centerImage.y + (-c * dx + a * dy) / det);
}

/** Image pixels covered by `screenPixels` on screen: hit radii and snapping tolerances scale with zoom. */
export function imageLengthOfScreenPixels(t: ViewTransform, screenPixels: number): number {
  return screenPixels / t.scale;
}

/**
 * Konva's node transform is translate · rotate · scale. A flip after rotation equals a rotation the
 * other way with the x axis mirrored: Flip · R(θ) = R(−θ) · diag(−1, 1). So one Layer whose children
 * are drawn in image pixels lines up with the slide; pan and zoom move only this layer.
 */
export function overlayLayerTransform(t: ViewTransform): LayerTransform {
  const origin = imageToScreen(t, imagePoint(0, 0));
  const rotation = normalizeDegrees(t.flip ? -t.rotation : t.rotation);
  return { x: origin.x, y: origin.y, scaleX: t.flip ? -t.scale : t.scale, scaleY: t.scale, rotation };
}

/** The image-space bounding box of everything visible in the viewport, for culling. */
export function viewportImageBounds(t: ViewTransform, marginScreenPixels = 0): ImageBounds {
  const m = marginScreenPixels;
  const { width, height } = t.viewportSize;
  const corners = [screenPoint(-m, -m), screenPoint(width + m, -m), screenPoint(width + m, height + m), screenPoint(-m, height + m)];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const c of corners) {
    const p = screenToImage(t, c);
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.x > maxX) maxX = p.x;
    if (p.y > maxY) maxY = p.y;
  }
  return { minX, minY, maxX, maxY };
}

/** Degrees in [0, 360). */
export function normalizeDegrees(degrees: number): number {
  const d = ((degrees % 360) + 360) % 360;
  return d === 360 ? 0 : d;
}
