import OpenSeadragon from 'openseadragon';
import { imagePoint, type ViewTransform } from './coords';

/** The parts of an OpenSeadragon viewport this module reads; a real `viewer.viewport` satisfies it. */
export type OsdViewportLike = Pick<
  OpenSeadragon.Viewport,
  'getContainerSize' | 'imageToViewerElementCoordinates' | 'viewerElementToImageCoordinates' | 'getFlip'
>;

/** A long probe keeps the measured scale and angle precise when zoomed far out. */
const PROBE_IMAGE_PIXELS = 4096;
/** Angles this close to a right angle are right angles: keeps coords exact at 0/90/180/270. */
const RIGHT_ANGLE_SNAP_DEGREES = 1e-7;

/**
 * Reads the current (animated, not target) view of the viewer's image as a ViewTransform, by
 * measuring where OpenSeadragon puts reference points. Measuring rather than recomputing from zoom,
 * bounds and margins keeps us right whatever OpenSeadragon folds in (margins, item position, item
 * rotation). OpenSeadragon's coordinate methods ignore the viewport flip (the drawer mirrors the
 * canvas about its centre instead), so flip is read separately and applied by coords.ts.
 */
export function viewTransformFromOsd(viewer: OpenSeadragon.Viewer): ViewTransform {
  return viewTransformFromViewport(viewer.viewport);
}

export function viewTransformFromViewport(viewport: OsdViewportLike): ViewTransform {
  const size = viewport.getContainerSize();
  const middle = new OpenSeadragon.Point(size.x / 2, size.y / 2);
  // The viewport centre is on the mirror line, so this point is right whether or not the view is flipped.
  const center = viewport.viewerElementToImageCoordinates(middle);
  const probe = viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(center.x + PROBE_IMAGE_PIXELS, center.y));
  const dx = probe.x - middle.x;
  const dy = probe.y - middle.y;
  return {
    centerImage: imagePoint(center.x, center.y),
    scale: Math.hypot(dx, dy) / PROBE_IMAGE_PIXELS,
    rotation: snapToRightAngle((Math.atan2(dy, dx) * 180) / Math.PI),
    flip: viewport.getFlip(),
    viewportSize: { width: size.x, height: size.y },
  };
}

function snapToRightAngle(degrees: number): number {
  const nearest = Math.round(degrees / 90) * 90;
  const d = Math.abs(degrees - nearest) < RIGHT_ANGLE_SNAP_DEGREES ? nearest : degrees;
  return ((d % 360) + 360) % 360;
}

/**
 * Calls `listener` with a fresh ViewTransform whenever OpenSeadragon redraws its viewport (pan, zoom,
 * rotate, flip, resize, every animation frame). Returns the unsubscribe function.
 */
export function onViewTransformChange(viewer: OpenSeadragon.Viewer, listener: (t: ViewTransform) => void): () => void {
  const handler = () => listener(viewTransformFromOsd(viewer));
  viewer.addHandler('update-viewport', handler);
  viewer.addHandler('resize', handler);
  viewer.addHandler('flip', handler);
  return () => {
    viewer.removeHandler('update-viewport', handler);
    viewer.removeHandler('resize', handler);
    viewer.removeHandler('flip', handler);
  };
}
