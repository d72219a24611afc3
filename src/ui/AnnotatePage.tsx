import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { lineLengthText, pixelScaleOf } from '../model/measure';
import type { LabelSchema, LineGeometry } from '../model/types';
import { currentSchemaOf, ensureAnnotator, updateAnnotations } from '../store/actions';
import { countAnnotations } from '../store/docState';
import { useSession, type ToolId } from '../store/sessionStore';
import type { ShapeStyle } from '../viewer/shapeRenderer';
import type { ViewTransform } from '../viewer/coords';
import { AnnotateViewer, type ViewerHandle } from './annotate/AnnotateViewer';
import { AssociatedImages } from './slides/AssociatedImages';
import { SlideGate } from './slides/SlideGate';
import { AttributesPanel } from './annotate/AttributesPanel';
import { ClassPalette } from './annotate/ClassPalette';
import { HelpOverlay } from './annotate/HelpOverlay';
import { ImageLabelPanel } from './annotate/ImageLabelPanel';
import { isTypingTarget } from './annotate/keys';
import { markNoLesion, StatusControls, toggleDone, useDoneRefused } from './annotate/StatusControls';
import { TOOL_KEYS, ToolBar, toolsFor } from './annotate/ToolBar';
import { ToolOverlay } from './annotate/ToolOverlay';
import { AssistPanel } from './annotate/AssistPanel';
import { useAssistant } from './annotate/useAssistant';
import { useAssist } from '../store/assistStore';
import { useShapeIndex } from './annotate/useShapeIndex';
import { useToolController } from './annotate/useToolController';
import { IdentityPicker } from './IdentityPicker';
import { useOpenProject } from './ProjectPage';
import { navigate, routeHref, type Route } from './router';
import { useSettings } from './settingsStore';
import { useDoc } from './useDoc';
import { imageState, nextUnfinished, worklistImages } from './WorklistPanel';
import { useLocalized, useT, useTn } from './i18n';

// A CT/MR series opens in the slice viewer, fetched only then: the DICOM reader and codecs stay out of the main bundle.
const SeriesViewer = lazy(() => import('./radiology/SeriesViewer'));

const DEFAULT_TOOL: Partial<Record<LabelSchema['granularity'], ToolId>> = { box: 'box', polygon: 'polygon', point: 'point' };

export function AnnotatePage({ route }: { route: Extract<Route, { page: 'annotate' }> }) {
  const state = useOpenProject(route.projectId);
  const doc = useDoc();
  const identity = useSettings((s) => s.identity);
  const t = useT();
  if (state === 'missing') return <main className="page"><p role="alert">Project not found / プロジェクトが見つかりません</p></main>;
  if (state !== 'open' || !doc) return <main className="page"><p>…</p></main>;
  const image = doc.images.get(route.imageId);
  if (!image) return <main className="page"><p role="alert">Image not found / 画像が見つかりません</p></main>;
  if (!identity) {
    return (
      <main className="page">
        <h1>{t('whoAreYou')}</h1>
        <IdentityPicker />
      </main>
    );
  }
  return <AnnotateWorkspace key={image.id} projectId={route.projectId} imageId={image.id} schema={currentSchemaOf(doc)} annotatorId={identity.id} annotatorName={identity.displayName} />;
}

interface WorkspaceProps {
  projectId: string;
  imageId: string;
  schema: LabelSchema;
  annotatorId: string;
  annotatorName: string;
}

function AnnotateWorkspace({ projectId, imageId, schema, annotatorId, annotatorName }: WorkspaceProps) {
  const doc = useDoc()!;
  const t = useT();
  const tn = useTn();
  const loc = useLocalized();
  const lang = useSettings((s) => s.lang);
  // Messages belong to this image, in this language: leaving either drops them.
  const place = `${projectId}/${imageId}/${lang}`;
  useEffect(() => {
    useSession.getState().enterPlace(place);
    return () => useSession.getState().enterPlace(null);
  }, [place]);
  const image = doc.images.get(imageId)!;
  const session = useSession();
  const viewer = useRef<ViewerHandle | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const drawing = schema.granularity !== 'image';
  // On a CT/MR series: the slice shown, which the shape index and new shapes follow.
  const series = image.source.kind === 'dicom-series' ? image.source : null;
  const [sliceIndex, setSliceIndex] = useState<number | null>(null);
  const slice = series && sliceIndex !== null ? series.slices[sliceIndex] : undefined;
  // Lengths: mm on a series (Pixel Spacing of the slice shown), µm on an image with µm per pixel, else px.
  const [pixelSpacing, setPixelSpacing] = useState<readonly [number, number] | undefined>(undefined);
  const scale = useMemo(() => pixelScaleOf(image, pixelSpacing), [image, pixelSpacing]);
  const lineLabel = useCallback((g: LineGeometry) => lineLengthText(g, scale, lang), [scale, lang]);
  const { index, revision } = useShapeIndex(imageId, annotatorId, doc.project.reviewMode, slice);
  const selected = useMemo(() => new Set(session.selectedIds), [session.selectedIds]);
  const classColor = new Map(schema.classes.map((c) => [c.id, c.color]));
  for (const s of doc.schemas.values()) for (const c of s.classes) if (!classColor.has(c.id)) classColor.set(c.id, c.color);

  const assistant = useAssistant(image, annotatorId, doc.project.stain ?? 'auto', {
    refused: (reason) => t('assistRefused', { reason }),
    unavailable: t('assistUnavailable'),
    needsScale: t('assistNeedsScale'),
    found: (count) => t('assistFound', { count }),
  });
  const suggestions = useAssist((s) => s.suggestions);
  const currentSuggestion = useAssist((s) => s.current);
  const wand = useAssist((s) => s.wand);
  const controller = useToolController({
    schema,
    imageId,
    annotatorId,
    index,
    revision,
    assistant,
    slice,
    text: {
      chooseClass: t('chooseClassFirst'),
      chooseIdentity: t('noIdentity'),
      refused: (reason) => t('shapeRefused', { reason }),
      warning: (w) => t('shapeWarning', { warning: w }),
    },
  });

  // The annotator is listed in the project; the last used class and a usable tool are ready.
  useEffect(() => {
    ensureAnnotator({ id: annotatorId, displayName: annotatorName });
    const s = useSession.getState();
    const remembered = s.lastClassByProject[projectId];
    const classId = schema.classes.some((c) => c.id === remembered) ? remembered : schema.classes[0]?.id;
    if (classId && s.classId !== classId) s.setClass(projectId, classId);
    s.select([]);
  }, [projectId, imageId]); // eslint-disable-line react-hooks/exhaustive-deps

  // Each project opens with the drawing tool its granularity calls for (box for endoscopy, polygon for
  // cells); moving between images keeps whatever tool the annotator picked.
  useEffect(() => {
    const tools = toolsFor(schema.granularity);
    if (tools.length) useSession.getState().setTool(DEFAULT_TOOL[schema.granularity] ?? 'select');
  }, [projectId, schema.granularity]);

  const images = useMemo(() => [...doc.images.values()].sort((a, b) => a.order - b.order), [doc.images.size]); // eslint-disable-line react-hooks/exhaustive-deps
  const position = images.findIndex((i) => i.id === imageId);
  const go = (delta: number) => {
    const next = images[position + delta];
    if (next) navigate({ page: 'annotate', projectId, imageId: next.id });
  };
  // Nothing left to move on to: the last image, and nothing unfinished elsewhere (or only this one).
  const nextOne = nextUnfinished(doc, annotatorId, imageId);
  const end = (nextOne && nextOne.id !== imageId) || images[position + 1] ? null : nextOne ? 'only-this' : 'all-done';
  const [askedAtEnd, setAskedAtEnd] = useState(false);
  const worklistRoute = { page: 'project', projectId, tab: 'worklist' } as const;
  const goNextUnfinished = () => {
    const next = nextUnfinished(doc, annotatorId, imageId);
    if (next && next.id !== imageId) navigate({ page: 'annotate', projectId, imageId: next.id });
    else if (images[position + 1]) go(1);
    // At the end: say so and offer the worklist; asked again, go there.
    else if (askedAtEnd) navigate(worklistRoute);
    else setAskedAtEnd(true);
  };

  const mine = countAnnotations(doc, imageId, annotatorId);
  const doneRefused = useDoneRefused();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useSession.getState();
      const k = e.key;
      let used = true;
      if (k === '?') s.setHelpOpen(!s.helpOpen);
      else if (s.helpOpen && k === 'Escape') s.setHelpOpen(false);
      else if (k === 'PageDown' || k === '.') go(1);
      else if (k === 'PageUp' || k === ',') go(-1);
      else if (k === 'r' || k === 'R') viewer.current?.viewer.viewport.setRotation(viewer.current.viewer.viewport.getRotation() + (k === 'R' ? -90 : 90));
      else if (k === '+' || k === '=') viewer.current?.viewer.viewport.zoomBy(1.5);
      else if (k === '-') viewer.current?.viewer.viewport.zoomBy(1 / 1.5);
      else if (!drawing) used = false;
      else if (k === '0') viewer.current?.viewer.viewport.goHome();
      else if (schema.classes.some((c) => c.hotkey === k)) {
        const c = schema.classes.find((x) => x.hotkey === k)!;
        s.setClass(projectId, c.id);
        if (useAssist.getState().reclassify(c.id)) return e.preventDefault();
        if (s.selectedIds.length) updateAnnotations(s.selectedIds.map((id) => ({ id, patch: { classId: c.id } })), 'Change class');
      } else if (k === 'd' || k === 'D') toggleDone(imageId, annotatorId, imageState(doc, imageId, annotatorId).state === 'done', doneRefused);
      else if (k === 'x' || k === 'X') markNoLesion(imageId, annotatorId, mine, t('removeShapesFirst'));
      else if (k === 'c' || k === 'C') s.setContinuous(!s.continuous);
      else {
        const tool = (Object.keys(TOOL_KEYS) as (keyof typeof TOOL_KEYS)[]).find((id) => TOOL_KEYS[id].toLowerCase() === k.toLowerCase());
        if (tool && toolsFor(schema.granularity).includes(tool)) s.setTool(tool);
        else used = controller.onKey(k);
      }
      if (used) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // The index holds only what this person may see, each shape tagged by class and owner.
  const shapeStyle = (tag: number): ShapeStyle => {
    const key = index.styleKey(tag);
    return { color: classColor.get(key.classId) ?? '#888888', dashed: !key.own };
  };

  // Alt (or Ctrl) + wheel widens or narrows the wand's proposal instead of zooming.
  useEffect(() => {
    const onWheel = (e: WheelEvent) => {
      if (!(e.altKey || e.ctrlKey) || useSession.getState().tool !== 'wand' || !useAssist.getState().wand) return;
      e.preventDefault();
      e.stopPropagation();
      assistant.adjust(e.deltaY < 0 ? 1 : -1);
    };
    window.addEventListener('wheel', onWheel, { capture: true, passive: false });
    return () => window.removeEventListener('wheel', onWheel, { capture: true });
  });

  const status = imageState(doc, imageId, annotatorId);
  const currentColor = classColor.get(session.classId ?? '') ?? '#ffcc00';
  const viewerProps = {
    index,
    shapeStyle,
    hiddenId: controller.draggingId,
    selected,
    revision,
    overlayActive: !!(controller.preview || controller.edit || wand || suggestions.length),
    capturePointer: drawing && controller.capturePointer,
    onPointer: controller.onPointer,
    overlay: (view: ViewTransform) => (
      <ToolOverlay
        t={view}
        preview={controller.preview}
        edit={controller.edit}
        color={currentColor}
        wand={wand?.geometry ?? null}
        lineLabel={lineLabel}
        suggestions={suggestions.map((sg, i) => ({ id: sg.id, geometry: sg.geometry, color: classColor.get(sg.classId) ?? '#00e5ff', current: i === currentSuggestion, selected: sg.selected }))}
      />
    ),
    onReady: (h: ViewerHandle | null) => (viewer.current = h),
    onError: setOpenError,
    cursor: drawing ? controller.cursor : 'grab',
    label: `${image.name} — ${loc(schema.name)}`,
    lineLabel,
  };
  return (
    <main className="annotate-page">
      <header className="annotate-header">
        <a href={routeHref({ page: 'project', projectId, tab: 'worklist' })}>← {t('worklist')}</a>
        <h1>{image.name}</h1>
        <span className="muted" data-testid="image-position">
          {position + 1} / {images.length}
        </span>
        <button type="button" onClick={() => go(-1)} disabled={position <= 0} aria-label={t('previousImage')}>
          ‹ <kbd>PgUp</kbd>
        </button>
        <button type="button" onClick={() => go(1)} disabled={position >= images.length - 1} aria-label={t('nextImage')}>
          <kbd>PgDn</kbd> ›
        </button>
        <button type="button" onClick={goNextUnfinished}>
          {t('nextUnfinished')}
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => viewer.current?.viewer.viewport.setRotation(viewer.current.viewer.viewport.getRotation() + 90)} aria-label={t('rotate')}>
          ⟳ <kbd>R</kbd>
        </button>
        <button type="button" onClick={() => viewer.current?.viewer.viewport.zoomBy(1.5)} aria-label={t('zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => viewer.current?.viewer.viewport.zoomBy(1 / 1.5)} aria-label={t('zoomOut')}>
          −
        </button>
        <button type="button" onClick={() => viewer.current?.viewer.viewport.goHome()} aria-label={t('zoomHome')}>
          ⌂
        </button>
        <AssociatedImages image={image} />
        {image.patientKey && (
          <a href={routeHref({ page: 'patient', patientKey: image.patientKey })} data-testid="patient-link">
            {t('patientView')}
          </a>
        )}
        {doc.project.reviewMode && <span className="badge">{t('reviewModeOn')}</span>}
        <button type="button" onClick={() => session.setHelpOpen(true)} aria-label={t('help')}>
          ?
        </button>
      </header>
      {askedAtEnd && end && (
        <div className="all-done" role="status" data-testid="all-done">
          <span>{end === 'all-done' ? tn('allDone', worklistImages(doc, annotatorId).length) : t('onlyThisLeft')}</span>
          <a href={routeHref(worklistRoute)}>{t('backToWorklist')}</a>
          {!drawing && <kbd>Enter</kbd>}
        </div>
      )}
      {session.message?.place === place && (
        <div className={`toast toast-${session.message.kind}`} role={session.message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
          {session.message.text}
          <button type="button" className="link" onClick={() => session.clearMessage()} aria-label={t('dismiss')}>
            ×
          </button>
        </div>
      )}
      <div className="annotate-body">
        <div className="viewer-column">
          {openError ? (
            <p role="alert" className="problems">
              {t('imageOpenFailed', { message: openError })}
            </p>
          ) : null}
          <SlideGate image={image}>
          {series ? (
            <Suspense fallback={<p className="muted">…</p>}>
              <SeriesViewer image={{ ...image, source: series }} sliceIndex={sliceIndex} onSliceIndex={setSliceIndex} canMeasure={toolsFor(schema.granularity).includes('line')} onPixelSpacing={setPixelSpacing} {...viewerProps} />
            </Suspense>
          ) : (
            <AnnotateViewer image={image} {...viewerProps} />
          )}
          </SlideGate>
        </div>
        <aside className="annotate-side">
          {drawing ? (
            <>
              <ToolBar granularity={schema.granularity} />
              <ClassPalette schema={schema} projectId={projectId} />
              <AssistPanel annotatorId={annotatorId} image={image} />
              <AttributesPanel schema={schema} lineLabel={lineLabel} />
              <StatusControls imageId={imageId} annotatorId={annotatorId} mine={mine} />
              <p className="muted" data-testid="shape-count">
                {t('shapesOnImage', { count: mine })}
              </p>
            </>
          ) : (
            <>
              <ImageLabelPanel schema={schema} imageId={imageId} annotatorId={annotatorId} onNext={goNextUnfinished} />
              <p className="muted" data-testid="annotate-status">
                {t(`status.${status.state}`)}
              </p>
            </>
          )}
        </aside>
      </div>
      <HelpOverlay drawing={drawing} series={!!series} />
    </main>
  );
}
