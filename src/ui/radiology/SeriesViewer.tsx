/**
 * The slice viewer of a CT/MR series: the annotate page's own viewer (OpenSeadragon for pan, zoom
 * and rotation; the shape layer and the drawing tools), with the slice drawn underneath under a
 * window. Loaded only when a series is opened (React.lazy from the annotate page): the main bundle
 * carries none of it, nor the DICOM reader, nor the codecs.
 */
import { useEffect, useMemo, useRef, useState, type ComponentProps } from 'react';
import type { DicomSeriesSource, ImageRecord } from '../../model/types';
import { decodeFrame, modalityValues } from '../../radiology/frames';
import { sliceLocation, type Window } from '../../radiology/instance';
import { SeriesReader, type PlacedSlice } from '../../radiology/series';
import { webFrameDecoders } from '../../radiology/webDecoders';
import { CT_PRESETS, defaultWindow, draggedWindow, PRESET_NAMES, windowToRgba, type PresetName } from '../../radiology/window';
import { slideAccess } from '../../storage/slideFiles';
import { AnnotateViewer, type ViewerHandle } from '../annotate/AnnotateViewer';
import { isTypingTarget } from '../annotate/keys';
import { ensureProjectKey } from '../privacy/projectKey';
import { useSettings } from '../settingsStore';
import { useSession } from '../../store/sessionStore';
import { useRadiologyText } from './radiologyText';
import { exportSeriesSr } from './exportSr';
import { useDoc } from '../useDoc';
import { useCountWords } from '../i18n';

type SeriesImage = ImageRecord & { source: DicomSeriesSource };

export interface SeriesViewerProps extends Omit<ComponentProps<typeof AnnotateViewer>, 'image' | 'backdrop' | 'onRawInput' | 'children'> {
  image: SeriesImage;
  sliceIndex: number | null;
  onSliceIndex: (k: number) => void;
  /** The schema draws shapes, so the length tool is at hand. */
  canMeasure: boolean;
  /** Pixel Spacing (row, column; mm) of the slice shown, for lengths in mm. */
  onPixelSpacing: (spacing: readonly [number, number] | undefined) => void;
}

/** Decoded slices kept for scrolling back and forth: 64 slices of 512 × 512 are 64 MB of Float32. */
const CACHE_SLICES = 64;

class SliceCache {
  private readonly values = new Map<number, Promise<Float32Array>>();
  constructor(readonly reader: SeriesReader) {}
  get(k: number): Promise<Float32Array> {
    let v = this.values.get(k);
    if (v) {
      this.values.delete(k);
      this.values.set(k, v);
      return v;
    }
    v = this.reader.slice(k).then(({ instance, frame }) => decodeFrame(instance, webFrameDecoders, frame).then((stored) => modalityValues(stored, instance)));
    this.values.set(k, v);
    v.catch(() => this.values.delete(k));
    while (this.values.size > CACHE_SLICES) this.values.delete(this.values.keys().next().value!);
    return v;
  }
}

interface Opened {
  reader: SeriesReader;
  cache: SliceCache;
}

/** The series' files in this browser, read one at a time as slices are shown. */
async function openSeries(image: SeriesImage): Promise<Opened> {
  const access = await slideAccess(image.source.fileKey);
  if (access.state !== 'ready') throw new Error(`the files of "${image.name}" are not open in this browser`);
  const key = await ensureProjectKey(image.projectId);
  // A folder may hold other series and other files: the reader reads only the ones it needs.
  const files = access.files.map((f) => ({ name: f.name, read: async () => new Uint8Array(await f.arrayBuffer()) }));
  const reader = new SeriesReader(image.source, files, key);
  return { reader, cache: new SliceCache(reader) };
}

const isPreset = (w: Window, name: PresetName) => w.center === CT_PRESETS[name].center && w.width === CT_PRESETS[name].width;

export function SeriesViewer(props: SeriesViewerProps) {
  const { image, sliceIndex, onSliceIndex, canMeasure, onPixelSpacing, ...viewerProps } = props;
  const t = useRadiologyText();
  const lang = useSettings((s) => s.lang);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The slice shown: its instance (geometry, windows) and frame. */
  const [shown, setShown] = useState<PlacedSlice | null>(null);
  const [window_, setWindow] = useState<Window | null>(null);
  /** Bumped whenever the slice layer must be drawn again (a new slice or window). */
  const [paint, setPaint] = useState(0);
  const measuring = useSession((s) => s.tool === 'line');
  const canvas = useRef<HTMLCanvasElement | null>(null);
  /** Which slice and window the slice canvas holds ("slice centre width"): on the layer for tests and tools. */
  const painted = useRef('');
  const handle = useRef<ViewerHandle | null>(null);
  const drag = useRef<{ x: number; y: number; start: Window } | null>(null);
  const wheel = useRef(0);
  const live = useRef({ sliceIndex, window_, opened });
  live.current = { sliceIndex, window_, opened };
  const total = image.source.slices.length;
  const k = sliceIndex ?? Math.floor(total / 2);

  useEffect(() => {
    let alive = true;
    setOpened(null);
    setError(null);
    openSeries(image).then(
      (o) => {
        if (!alive) return;
        setOpened(o);
        if (sliceIndex === null) onSliceIndex(Math.floor(total / 2));
      },
      (e: Error) => alive && setError(e.message),
    );
    return () => {
      alive = false;
    };
  }, [image.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // The slice under the window: decoded once (cached), windowed into the slice canvas on every change.
  useEffect(() => {
    if (!opened) return;
    let alive = true;
    void Promise.all([opened.reader.slice(k), opened.cache.get(k)]).then(
      ([placed, values]) => {
        if (!alive) return;
        const { instance } = placed;
        setShown(placed);
        const w = live.current.window_ ?? defaultWindow(instance, values);
        if (!live.current.window_) setWindow(w);
        const c = (canvas.current ??= document.createElement('canvas'));
        c.width = instance.columns;
        c.height = instance.rows;
        const rgba = windowToRgba(values, w, instance.photometric);
        c.getContext('2d')!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, instance.columns, instance.rows), 0, 0);
        painted.current = `${k + 1} ${Math.round(w.center)} ${Math.round(w.width)}`;
        setPaint((n) => n + 1);
        // The neighbours next, so scrolling on finds them decoded.
        for (const d of [1, -1, 2, -2]) if (k + d >= 0 && k + d < total) void opened.cache.get(k + d).catch(() => {});
      },
      (e: Error) => alive && setError(e.message),
    );
    return () => {
      alive = false;
    };
  }, [opened, k, window_]); // eslint-disable-line react-hooks/exhaustive-deps

  const step = (d: number) => {
    const next = Math.min(total - 1, Math.max(0, (live.current.sliceIndex ?? k) + d));
    if (next !== live.current.sliceIndex) onSliceIndex(next);
  };

  // ↑/↓ (and Home/End) move through the slices; typing in a field is left alone.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const moves: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, Home: -total, End: total };
      if (!(e.key in moves)) return;
      e.preventDefault();
      e.stopPropagation();
      step(moves[e.key]);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  const onRawInput = (e: PointerEvent | WheelEvent, host: HTMLElement): boolean => {
    if (e.type === 'wheel') {
      const we = e as WheelEvent;
      if (we.ctrlKey || we.altKey || we.metaKey) return false;
      // A mouse notch (about 100 px) is one slice or two; a trackpad's small steps add up.
      wheel.current += we.deltaMode === 1 ? we.deltaY * 40 : we.deltaY;
      if (Math.abs(wheel.current) >= 40) {
        step(Math.sign(wheel.current));
        wheel.current = 0;
      }
      return true;
    }
    const pe = e as PointerEvent;
    const d = drag.current;
    if (pe.type === 'pointerdown') {
      if (pe.button === 2 && live.current.window_) {
        drag.current = { x: pe.clientX, y: pe.clientY, start: live.current.window_ };
        host.setPointerCapture?.(pe.pointerId);
        return true;
      }
      return false;
    }
    if (!d) return false;
    setWindow(draggedWindow(d.start, pe.clientX - d.x, pe.clientY - d.y));
    if (pe.type === 'pointerup' || pe.type === 'pointercancel') drag.current = null;
    return true;
  };

  const doc = useDoc();
  const me = useSettings((s) => s.identity);
  const count = useCountWords();
  const [srMessage, setSrMessage] = useState<string | null>(null);
  const exportSr = async () => {
    if (!doc) return;
    try {
      const n = await exportSeriesSr(doc, image, me?.id, shown?.instance.pixelSpacing);
      setSrMessage(t('srExported', { count: count(n.regions, 'region', 'regions'), lengths: count(n.lengths, 'length', 'lengths') }));
    } catch (e) {
      setSrMessage(t('srRefused', { reason: (e as Error).message }));
    }
  };

  const instance = shown?.instance;
  const spacing = instance?.pixelSpacing;
  // Lengths on this series are in mm by the spacing of the slice shown (row and column spacing apart).
  useEffect(() => onPixelSpacing(spacing), [spacing?.[0], spacing?.[1]]); // eslint-disable-line react-hooks/exhaustive-deps
  const fmt = useMemo(() => new Intl.NumberFormat(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 }), [lang]);
  const backdrop = (ctx: CanvasRenderingContext2D) => {
    const c = canvas.current;
    const m = ctx.getTransform();
    const scale = Math.hypot(m.a, m.b);
    // Magnified, each screen pixel shows one pixel's own value (no blend of neighbours: what is seen
    // is what was measured); reduced, the browser's smoothing keeps fine structure from aliasing.
    ctx.imageSmoothingEnabled = scale < 1;
    if (c && live.current.opened) ctx.drawImage(c, 0, 0);
    ctx.canvas.dataset.painted = painted.current;
  };

  if (error) {
    return (
      <p role="alert" className="problems">
        {t('openFailed', { message: error })}
      </p>
    );
  }
  const at = instance ? sliceLocation(instance) : undefined;
  const ct = image.source.modality === 'CT';
  return (
    <div className="series-viewer" onContextMenu={(e) => e.preventDefault()}>
      <div className="row series-controls" role="toolbar" aria-label={t('presets')}>
        <label>
          {t('slice')}{' '}
          <input type="range" min={1} max={total} value={k + 1} onChange={(e) => onSliceIndex(Number(e.target.value) - 1)} aria-label={t('slice')} />
        </label>
        <span data-testid="slice-position">
          {t('sliceOf', { n: k + 1, total })}
          {at !== undefined && ` · ${t('position', { mm: fmt.format(at) })}`}
          {instance?.sliceThickness !== undefined && ` · ${t('thickness', { mm: fmt.format(instance.sliceThickness) })}`}
        </span>
        {window_ && (
          <span data-testid="window" className="muted">
            {t('windowLabel', { width: Math.round(window_.width), center: Math.round(window_.center) })}
          </span>
        )}
        {ct &&
          PRESET_NAMES.map((name) => (
            <button key={name} type="button" aria-pressed={!!window_ && isPreset(window_, name)} onClick={() => setWindow(CT_PRESETS[name])}>
              {t(`preset.${name}`)}
            </button>
          ))}
        {instance?.windows.length ? (
          <button type="button" onClick={() => setWindow(instance.windows[0])}>
            {t('preset.header')}
          </button>
        ) : null}
        {canMeasure && (
          <button type="button" aria-pressed={measuring} onClick={() => useSession.getState().setTool(measuring ? 'select' : 'line')} title={t('measureHelp')}>
            {spacing ? t('measure') : t('measurePixels')} <kbd>L</kbd>
          </button>
        )}
        <button type="button" onClick={() => void exportSr()}>
          {t('exportSr')}
        </button>
      </div>
      {srMessage && (
        <p role="status" className="muted" data-testid="sr-message">
          {srMessage}
        </p>
      )}
      {!opened && (
        <p className="muted" role="status">
          {t('opening', { count: image.source.fileNames.length })}
        </p>
      )}
      <AnnotateViewer
        {...viewerProps}
        image={image}
        revision={viewerProps.revision * 1_000_000 + paint}
        backdrop={backdrop}
        onRawInput={onRawInput}
        capturePointer={viewerProps.capturePointer}
        cursor={viewerProps.cursor}
        onReady={(h) => {
          handle.current = h;
          viewerProps.onReady?.(h);
        }}
      />
      <p className="muted series-help">{t('help')}</p>
    </div>
  );
}

export default SeriesViewer;
