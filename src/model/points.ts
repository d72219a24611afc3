/**
 * Image and screen points are different types, so mixing coordinate spaces does not compile.
 * Only src/viewer/coords.ts converts between them.
 */

declare const imageSpace: unique symbol;
declare const screenSpace: unique symbol;

/** A point in level-0 image pixels. The brand keeps it from being passed where a screen point is expected. */
export type ImagePoint = { readonly x: number; readonly y: number; readonly [imageSpace]: true };
/** A point in CSS pixels of the viewer element. */
export type ScreenPoint = { readonly x: number; readonly y: number; readonly [screenSpace]: true };

export function imagePoint(x: number, y: number): ImagePoint {
  return { x, y } as ImagePoint;
}

export function screenPoint(x: number, y: number): ScreenPoint {
  return { x, y } as ScreenPoint;
}
