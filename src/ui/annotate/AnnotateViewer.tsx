import OpenSeadragon from 'openseadragon';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Layer, Stage } from 'react-konva';
import type { ImageRecord, LineGeometry } from '../../model/types';
import { imagePoint, imageToScreen, overlayLayerTransform, screenPoint, screenToImage, type ImagePoint, type ViewTransform } from '../../viewer/coords';
import { onViewTransformChange, viewTransformFromOsd } from '../../viewer/osdTransform';
import { DEFAULT_DRAW, DEFAULT_LAYER, drawShapes, ShapeLayerRenderer, type DrawableShape, type ShapeStyle } from '../../viewer/shapeRenderer';
import type { SpatialIndex } from '../../viewer/spatialIndex';
import { ScaleBar } from './ScaleBar';
import { tileSourceFor } from './tileSourceFor';

export interface ViewerPointerEvent {
  type: 'pointerdown' | 'pointermove' | 'pointerup' | 'dblclick';
  point: ImagePoint;
  shift: boolean;
  alt: boolean;
  /** Whether a button is held (a drag rather than a hover). */
  pressed: boolean;
}

export interface ViewerHandle {
  viewer: OpenSeadragon.Viewer;
  transform: () => ViewTransform;
  /** OpenSeadragon's own image → element mapping, for checking ours against it. */
  osdImageToElement: (x: number, y: number) => { x: number; y: number };
  /** How long each shape-layer draw took (ms) since the last call, the last 2000 at most: for the benchmark. */
  takeDrawTimes: () => number[];
}

interface Props {
  image: ImageRecord;
  /**
   * The shapes to draw, either straight from a spatial index (only what is in view, with level of
   * detail: for slides with up to millions of shapes) with a style per tag, or as a list the page
   * builds for each redraw (a few hundred shapes at most).
   */
  index?: SpatialIndex;
  /** A shape's colour and line style, by the tag it carries in the index. */
  shapeStyle?: (tag: number) => ShapeStyle;
  /** Shapes to draw in view; called on every redraw with the current view. Used when there is no index. */
  shapesInView?: (t: ViewTransform) => Iterable<DrawableShape>;
  /** Not drawn on the shape layer: the shape whose preview is being dragged. */
  hiddenId?: string | null;
  selected: ReadonlySet<string>;
  /** Changes whenever the shapes change, to redraw without a view change. */
  revision: number;
  /**
   * True while the Konva overlay shows something (a preview, edit handles): its React tree then
   * follows every frame. Otherwise React hears of view changes only a few times a second.
   */
  overlayActive?: boolean;
  /** When true, a left-button drag draws instead of panning. */
  capturePointer: boolean;
  onPointer: (e: ViewerPointerEvent, t: ViewTransform) => void;
  /** Konva children drawn in image coordinates (tool preview, edit handles). */
  overlay: (t: ViewTransform) => ReactNode;
  onReady?: (h: ViewerHandle | null) => void;
  onError?: (message: string) => void;
  cursor: string;
  label: string;
  /**
   * Drawn under the shapes on every redraw, in image coordinates (the canvas is already transformed
   * to the view): a CT slice under its window. The tile layer then shows only the image's frame.
   */
  backdrop?: (ctx: CanvasRenderingContext2D) => void;
  /** Pointer and wheel input seen before OpenSeadragon and the tools (slice scrolling, windowing); true when used. */
  onRawInput?: (e: PointerEvent | WheelEvent, host: HTMLElement) => boolean;
  /** The text beside each length line (its length in the image's unit). */
  lineLabel?: (g: LineGeometry) => string;
  children?: ReactNode;
}

/**
 * Whether the whole image is in view (any rotation or flip). The navigator then shows nothing new
 * and only hides a corner of the image (the corner of an endoscopy frame where lesions are), so it
 * is shown only while part of the image is out of view.
 */
function wholeImageInView(viewer: OpenSeadragon.Viewer): boolean {
  const item = viewer.world.getItemAt(0);
  if (!item) return true;
  const size = item.getContentSize();
  const box = viewer.viewport.getContainerSize();
  return [
    [0, 0],
    [size.x, 0],
    [0, size.y],
    [size.x, size.y],
  ].every(([x, y]) => {
    const p = item.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
    return p.x >= -1 && p.y >= -1 && p.x <= box.x + 1 && p.y <= box.y + 1;
  });
}

declare global {
  interface Window {
    /** For tests and the console: the open viewer and its current image↔screen transform. */
    granulaViewer?: ViewerHandle;
  }
}

export function AnnotateViewer(props: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const osdRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const backdropRef = useRef<HTMLCanvasElement>(null);
  const viewerRef = useRef<OpenSeadragon.Viewer | null>(null);
  const [transform, setTransform] = useState<ViewTransform | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const pressed = useRef(false);
  const renderer = useRef<ShapeLayerRenderer | null>(null);
  const lastDrawn = useRef('');
  const drawTimes = useRef<number[]>([]);
  /** The last transform handed to React, and a pending trailing update. */
  const reactView = useRef<{ at: number; timer: ReturnType<typeof setTimeout> | null }>({ at: 0, timer: null });

  /**
   * Draws the shape layer for the viewer's current view, at once. Called from OpenSeadragon's own
   * 'update-viewport' (inside its animation frame, so the shapes move with the tiles) and when the
   * shapes, the selection or the hidden shape change; React never re-renders per frame for it.
   */
  const drawLayer = (t: ViewTransform, force = true) => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // OpenSeadragon also redraws when a tile arrives; the shapes need no redraw for that.
    const key = `${t.centerImage.x} ${t.centerImage.y} ${t.scale} ${t.rotation} ${t.flip ? 1 : 0} ${t.viewportSize.width} ${t.viewportSize.height}`;
    if (!force && key === lastDrawn.current) return;
    lastDrawn.current = key;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(t.viewportSize.width * dpr);
    const h = Math.round(t.viewportSize.height * dpr);
    const p = latest.current;
    for (const c of [canvas, backdropRef.current]) {
      if (!c || (c.width === w && c.height === h)) continue;
      c.width = w;
      c.height = h;
      c.style.width = `${t.viewportSize.width}px`;
      c.style.height = `${t.viewportSize.height}px`;
    }
    const under = backdropRef.current?.getContext('2d');
    if (under && p.backdrop) {
      under.setTransform(1, 0, 0, 1, 0, 0);
      under.clearRect(0, 0, w, h);
      // Canvas's (a, b, c, d, e, f) maps (x, y) to (a x + c y + e, b x + d y + f): image → device pixels.
      const o = imageToScreen(t, imagePoint(0, 0));
      const ex = imageToScreen(t, imagePoint(1, 0));
      const ey = imageToScreen(t, imagePoint(0, 1));
      under.setTransform(dpr * (ex.x - o.x), dpr * (ex.y - o.y), dpr * (ey.x - o.x), dpr * (ey.y - o.y), dpr * o.x, dpr * o.y);
      p.backdrop(under);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const started = performance.now();
    if (p.index) {
      renderer.current ??= new ShapeLayerRenderer();
      const style = p.shapeStyle ?? (() => ({ color: '#888888' }));
      const stats = renderer.current.draw(ctx, t, p.index, { ...DEFAULT_DRAW, ...DEFAULT_LAYER, devicePixelRatio: dpr, selected: p.selected, style, hidden: p.hiddenId, lineLabel: p.lineLabel });
      canvas.dataset.drawn = String(stats.shapes);
    } else {
      const drawn = drawShapes(ctx, t, p.shapesInView?.(t) ?? [], { ...DEFAULT_DRAW, devicePixelRatio: dpr, selected: p.selected, lineLabel: p.lineLabel });
      canvas.dataset.drawn = String(drawn);
    }
    const times = drawTimes.current;
    if (times.length >= 2000) times.shift();
    times.push(performance.now() - started);
  };
  const drawLayerRef = useRef(drawLayer);
  drawLayerRef.current = drawLayer;

  /** React's copy of the view (Konva overlay, scale bar): every frame while the overlay is in use, else throttled. */
  const offerTransform = (t: ViewTransform, force = false) => {
    const r = reactView.current;
    const now = performance.now();
    if (force || latest.current.overlayActive || now - r.at >= 150) {
      if (r.timer) clearTimeout(r.timer);
      r.timer = null;
      r.at = now;
      setTransform(t);
    } else if (!r.timer) {
      r.timer = setTimeout(() => {
        r.timer = null;
        r.at = performance.now();
        const v = viewerRef.current;
        if (v) setTransform(viewTransformFromOsd(v));
      }, 150 - (now - r.at));
    }
  };
  const offerRef = useRef(offerTransform);
  offerRef.current = offerTransform;

  // One viewer per image: OpenSeadragon owns its element; React only mounts the container.
  useEffect(() => {
    let cancelled = false;
    let release = () => {};
    const el = osdRef.current!;
    void tileSourceFor(props.image)
      .then(({ source, release: r }) => {
        release = r;
        if (cancelled) return r();
        const viewer = OpenSeadragon({
          element: el,
          tileSources: source as OpenSeadragon.TileSourceOptions,
          drawer: 'canvas',
          showNavigationControl: false,
          showNavigator: true,
          navigatorPosition: 'BOTTOM_RIGHT',
          navigatorSizeRatio: 0.18,
          keyboardNavEnabled: false,
          gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: false },
          gestureSettingsTouch: { clickToZoom: false, dblClickToZoom: false },
          maxZoomPixelRatio: 8,
          visibilityRatio: 0.2,
          animationTime: 0.5,
          crossOriginPolicy: 'Anonymous',
          // Synthetic tiles are painted by one or two workers (a few ms to tens of ms each): more
          // than two in flight would only lengthen the workers' queue, while OpenSeadragon's own
          // queue still drops tiles that scrolled away. Tiles fetched from a server keep six in flight.
          imageLoaderLimit: props.image.source.kind === 'synthetic' ? 2 : 6,
          // A slide from disk is read and decoded in its worker: keep the tiles of a whole pan from
          // overview to 40× (about 300 at 1280×800) so panning back does not read and decode them again.
          maxImageCacheCount: props.image.source.kind === 'slide' ? 400 : 200,
        });
        viewerRef.current = viewer;
        const handle: ViewerHandle = {
          viewer,
          transform: () => viewTransformFromOsd(viewer),
          osdImageToElement: (x, y) => {
            const p = viewer.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
            return { x: p.x, y: p.y };
          },
          takeDrawTimes: () => drawTimes.current.splice(0),
        };
        let navigatorShown = true;
        const placeNavigator = () => {
          const show = !wholeImageInView(viewer);
          if (show === navigatorShown || !viewer.navigator) return;
          navigatorShown = show;
          viewer.navigator.setVisible(show);
        };
        viewer.addHandler('open', () => {
          placeNavigator();
          const t = viewTransformFromOsd(viewer);
          drawLayerRef.current(t);
          offerRef.current(t, true);
          window.granulaViewer = handle;
          latest.current.onReady?.(handle);
        });
        viewer.addHandler('open-failed', (e) => latest.current.onError?.(String((e as { message?: string }).message ?? 'the image could not be opened')));
        onViewTransformChange(viewer, (t) => {
          if (!viewer.world.getItemCount()) return;
          placeNavigator();
          drawLayerRef.current(t, false);
          offerRef.current(t);
        });
      })
      .catch((e: Error) => latest.current.onError?.(e.message));
    return () => {
      cancelled = true;
      if (reactView.current.timer) clearTimeout(reactView.current.timer);
      reactView.current.timer = null;
      latest.current.onReady?.(null);
      if (window.granulaViewer?.viewer === viewerRef.current) delete window.granulaViewer;
      viewerRef.current?.destroy();
      viewerRef.current = null;
      release();
    };
  }, [props.image.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // Shapes, selection or the dragged shape changed: redraw for the current view.
  useEffect(() => {
    const viewer = viewerRef.current;
    if (viewer && viewer.world.getItemCount()) drawLayer(viewTransformFromOsd(viewer));
  }, [props.index, props.revision, props.selected, props.hiddenId, props.lineLabel]);  

  // The overlay came into use: bring React's copy of the view up to date at once.
  useEffect(() => {
    const viewer = viewerRef.current;
    if (props.overlayActive && viewer && viewer.world.getItemCount()) offerTransform(viewTransformFromOsd(viewer), true);
  }, [props.overlayActive]);  

  // Pointer input: taken before OpenSeadragon sees it when a tool draws; wheel zoom always reaches it.
  useEffect(() => {
    const host = hostRef.current!;
    const toEvent = (type: ViewerPointerEvent['type'], e: MouseEvent): [ViewerPointerEvent, ViewTransform] | null => {
      const viewer = viewerRef.current;
      if (!viewer || !viewer.world.getItemCount()) return null;
      const t = viewTransformFromOsd(viewer);
      const r = host.getBoundingClientRect();
      const point = screenToImage(t, screenPoint(e.clientX - r.left, e.clientY - r.top));
      return [{ type, point, shift: e.shiftKey, alt: e.altKey, pressed: pressed.current }, t];
    };
    const consume = (e: Event) => {
      e.stopPropagation();
      e.preventDefault();
    };
    const raw = (e: PointerEvent | WheelEvent) => {
      if (!latest.current.onRawInput?.(e, host)) return false;
      consume(e);
      return true;
    };
    const wheel = (e: WheelEvent) => void raw(e);
    const down = (e: PointerEvent) => {
      if (raw(e)) return;
      if (e.button !== 0 || !latest.current.capturePointer) return;
      consume(e);
      host.setPointerCapture?.(e.pointerId);
      pressed.current = true;
      host.focus();
      const ev = toEvent('pointerdown', e);
      if (ev) latest.current.onPointer(...ev);
    };
    const move = (e: PointerEvent) => {
      if (raw(e)) return;
      if (!latest.current.capturePointer) return;
      if (pressed.current) consume(e);
      const ev = toEvent('pointermove', e);
      if (ev) latest.current.onPointer(...ev);
    };
    const up = (e: PointerEvent) => {
      if (raw(e)) return;
      if (!pressed.current) return;
      consume(e);
      pressed.current = false;
      const ev = toEvent('pointerup', e);
      if (ev) latest.current.onPointer(...ev);
    };
    const dbl = (e: MouseEvent) => {
      if (!latest.current.capturePointer) return;
      consume(e);
      const ev = toEvent('dblclick', e);
      if (ev) latest.current.onPointer(...ev);
    };
    host.addEventListener('pointerdown', down, true);
    host.addEventListener('pointermove', move, true);
    host.addEventListener('pointerup', up, true);
    host.addEventListener('pointercancel', up, true);
    host.addEventListener('dblclick', dbl, true);
    host.addEventListener('wheel', wheel, { capture: true, passive: false });
    return () => {
      host.removeEventListener('wheel', wheel, { capture: true });
      host.removeEventListener('pointerdown', down, true);
      host.removeEventListener('pointermove', move, true);
      host.removeEventListener('pointerup', up, true);
      host.removeEventListener('pointercancel', up, true);
      host.removeEventListener('dblclick', dbl, true);
    };
  }, []);

  const size = transform?.viewportSize;
  return (
    <div ref={hostRef} className="annotate-viewer" style={{ cursor: props.cursor }} tabIndex={-1} aria-label={props.label} role="application" data-testid="viewer">
      <div ref={osdRef} className="osd-host" />
      {props.backdrop && <canvas ref={backdropRef} className="shape-layer" data-testid="slice-layer" aria-hidden="true" />}
      <canvas ref={canvasRef} className="shape-layer" data-testid="shape-layer" aria-hidden="true" />
      {transform && size && (
        <Stage width={size.width} height={size.height} listening={false} className="konva-layer">
          <Layer {...overlayLayerTransform(transform)} listening={false}>
            {props.overlay(transform)}
          </Layer>
        </Stage>
      )}
      <ScaleBar mpp={props.image.mpp} transform={transform} />
      {props.children}
    </div>
  );
}
