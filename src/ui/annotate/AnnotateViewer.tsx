import OpenSeadragon from 'openseadragon';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Layer, Stage } from 'react-konva';
import type { ImageRecord } from '../../model/types';
import { overlayLayerTransform, screenPoint, screenToImage, type ImagePoint, type ViewTransform } from '../../viewer/coords';
import { onViewTransformChange, viewTransformFromOsd } from '../../viewer/osdTransform';
import { DEFAULT_DRAW, drawShapes, type DrawableShape } from '../../viewer/shapeRenderer';
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
}

interface Props {
  image: ImageRecord;
  /** Shapes to draw in view; called on every redraw with the current view. */
  shapesInView: (t: ViewTransform) => Iterable<DrawableShape>;
  selected: ReadonlySet<string>;
  /** Changes whenever the shapes change, to redraw without a view change. */
  revision: number;
  /** When true, a left-button drag draws instead of panning. */
  capturePointer: boolean;
  onPointer: (e: ViewerPointerEvent, t: ViewTransform) => void;
  /** Konva children drawn in image coordinates (tool preview, edit handles). */
  overlay: (t: ViewTransform) => ReactNode;
  onReady?: (h: ViewerHandle | null) => void;
  onError?: (message: string) => void;
  cursor: string;
  label: string;
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
  const viewerRef = useRef<OpenSeadragon.Viewer | null>(null);
  const [transform, setTransform] = useState<ViewTransform | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const pressed = useRef(false);

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
          imageLoaderLimit: 6,
        });
        viewerRef.current = viewer;
        const handle: ViewerHandle = {
          viewer,
          transform: () => viewTransformFromOsd(viewer),
          osdImageToElement: (x, y) => {
            const p = viewer.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
            return { x: p.x, y: p.y };
          },
        };
        viewer.addHandler('open', () => {
          setTransform(viewTransformFromOsd(viewer));
          window.granulaViewer = handle;
          latest.current.onReady?.(handle);
        });
        viewer.addHandler('open-failed', (e) => latest.current.onError?.(String((e as { message?: string }).message ?? 'the image could not be opened')));
        onViewTransformChange(viewer, (t) => setTransform(t));
      })
      .catch((e: Error) => latest.current.onError?.(e.message));
    return () => {
      cancelled = true;
      latest.current.onReady?.(null);
      if (window.granulaViewer?.viewer === viewerRef.current) delete window.granulaViewer;
      viewerRef.current?.destroy();
      viewerRef.current = null;
      release();
    };
  }, [props.image.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // The shape layer: one batched canvas pass per view change or shape change.
  useEffect(() => {
    const canvas = canvasRef.current;
    const host = hostRef.current;
    if (!canvas || !host || !transform) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(transform.viewportSize.width * dpr);
    const h = Math.round(transform.viewportSize.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
      canvas.style.width = `${transform.viewportSize.width}px`;
      canvas.style.height = `${transform.viewportSize.height}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const drawn = drawShapes(ctx, transform, props.shapesInView(transform), { ...DEFAULT_DRAW, devicePixelRatio: dpr, selected: props.selected });
    canvas.dataset.drawn = String(drawn);
  }, [transform, props.revision, props.selected]); // eslint-disable-line react-hooks/exhaustive-deps

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
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || !latest.current.capturePointer) return;
      consume(e);
      host.setPointerCapture?.(e.pointerId);
      pressed.current = true;
      host.focus();
      const ev = toEvent('pointerdown', e);
      if (ev) latest.current.onPointer(...ev);
    };
    const move = (e: PointerEvent) => {
      if (!latest.current.capturePointer) return;
      if (pressed.current) consume(e);
      const ev = toEvent('pointermove', e);
      if (ev) latest.current.onPointer(...ev);
    };
    const up = (e: PointerEvent) => {
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
    return () => {
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
      <canvas ref={canvasRef} className="shape-layer" data-testid="shape-layer" aria-hidden="true" />
      {transform && size && (
        <Stage width={size.width} height={size.height} listening={false} className="konva-layer">
          <Layer {...overlayLayerTransform(transform)} listening={false}>
            {props.overlay(transform)}
          </Layer>
        </Stage>
      )}
      <ScaleBar mpp={props.image.mpp} transform={transform} />
    </div>
  );
}
