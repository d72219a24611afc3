import { useEffect, useState } from 'react';
import type { ImageRecord, Modality } from '../../model/types';
import { setImagesMpp } from '../../store/actions';
import { slideAccess } from '../../storage/slideFiles';
import { useCountWords } from '../i18n';
import { useSettings } from '../settingsStore';
import { addLocalSlides, groupSlides, pickDicomFolder, pickSlideFiles, type PickedSlide } from './addSlides';
import { FileButton } from '../FileButton';
import { useSlideText } from './slideText';
import { useRadiologyText } from '../radiology/radiologyText';

const SLIDE_ACCEPT = '.svs,.tif,.tiff,.btf,.ome.tif,.ome.tiff,.dcm,.ndpi,.mrxs,application/dicom,image/tiff';

/** The worklist's buttons for slide files: the picker with handles where the browser has one. */
export function AddSlideButtons({ modality, onProblems }: { modality: Modality; onProblems: (text: string | null) => void }) {
  const t = useSlideText();
  const rt = useRadiologyText();
  const radiology = modality === 'radiology';
  const [busy, setBusy] = useState(false);
  const add = async (picked: Promise<PickedSlide[] | null> | PickedSlide[]) => {
    onProblems(null);
    setBusy(true);
    try {
      const slides = await picked;
      if (!slides?.length) return;
      const problems = radiology ? await addSeriesFiles(slides, (text) => rt('seriesAdded', { list: text })) : (await addLocalSlides(slides, modality)).map((p) => t('slideProblem', { ...p }));
      if (problems.length) onProblems(problems.join(' '));
    } catch (e) {
      onProblems((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {window.showOpenFilePicker ? (
        <button type="button" disabled={busy} onClick={() => void add(radiology ? pickSlideFiles().then(oneSeriesPick) : pickSlideFiles())}>
          {radiology ? rt('addSeriesFiles') : t('addSlides')}
        </button>
      ) : (
        <FileButton accept={radiology ? undefined : SLIDE_ACCEPT} multiple disabled={busy} onFiles={(files) => void add(radiology ? [{ files }] : groupSlides(files))}>
          {radiology ? rt('addSeriesFiles') : t('addSlides')}
        </FileButton>
      )}
      {window.showDirectoryPicker ? (
        <button type="button" disabled={busy} onClick={() => void add(pickDicomFolder())}>
          {radiology ? rt('addSeriesFolder') : t('addDicomFolder')}
        </button>
      ) : (
        <FileButton directory disabled={busy} onFiles={(files) => void add([{ files }])}>
          {radiology ? rt('addSeriesFolder') : t('addDicomFolder')}
        </FileButton>
      )}
    </>
  );
}

/** CT/MR files picked one by one are read together: the reader groups them into series by UID. */
function oneSeriesPick(picked: PickedSlide[] | null): PickedSlide[] | null {
  if (!picked) return null;
  const handles = picked.flatMap((p) => p.handles ?? []);
  return [{ files: picked.flatMap((p) => p.files), handles: handles.length ? handles : undefined }];
}

/**
 * Adds CT/MR series (the reader is fetched now, not with the app) and says what was added; returns
 * one line per file that could not be read, and the header's warnings.
 */
export async function addSeriesFiles(picked: PickedSlide[], addedText: (list: string) => string): Promise<string[]> {
  const { addLocalSeries } = await import('../radiology/addSeries');
  const r = await addLocalSeries(picked);
  return [...(r.added.length ? [addedText(r.added.map((a) => a.name).join(', '))] : []), ...r.problems.map((p) => `${p.name}: ${p.message}`), ...r.warnings];
}

/** For a slide row: whether its file is reachable now ("file not open", "one click to allow"). */
export function SlideReach({ image }: { image: ImageRecord }) {
  const t = useSlideText();
  const [state, setState] = useState<'ready' | 'permission' | 'missing' | null>(null);
  const key = image.source.kind === 'slide' || image.source.kind === 'dicom-series' ? image.source.fileKey : null;
  useEffect(() => {
    if (!key) return;
    let live = true;
    void slideAccess(key).then((a) => live && setState(a.state));
    return () => {
      live = false;
    };
  }, [key]);
  if (!key || !state || state === 'ready') return null;
  return (
    <span className="badge warning" data-testid="slide-reach">
      {state === 'missing' ? t('unreachable') : t('askAccess')}
    </span>
  );
}

function parseScale(text: string): number | null {
  const v = Number(text.trim().replace(',', '.'));
  return Number.isFinite(v) && v > 0 && v < 1000 ? v : null;
}

/** The scale of one image, shown and editable in place (µm per level-0 pixel). */
export function ScaleField({ image, editable }: { image: ImageRecord; editable: boolean }) {
  const t = useSlideText();
  const lang = useSettings((s) => s.lang);
  const [editing, setEditing] = useState(false);
  const shown = image.mpp ? `${new Intl.NumberFormat(lang, { maximumSignificantDigits: 4 }).format(image.mpp)} ${t('scale')}` : t('scaleUnknown');
  if (!editing)
    return (
      <span className="scale-field">
        {' · '}
        {editable ? (
          <button type="button" className="link" aria-label={`${t('setScale')}: ${image.name}`} onClick={() => setEditing(true)}>
            {shown}
          </button>
        ) : (
          shown
        )}
      </span>
    );
  return (
    <ScaleForm
      className="row scale-field"
      label={t('scaleOf', { name: image.name })}
      autoFocus
      initial={image.mpp ? String(image.mpp) : ''}
      onScale={(v) => {
        setImagesMpp([image.id], v);
        setEditing(false);
      }}
    />
  );
}

/** One scale for every listed image that has none (a batch scanned at one magnification). */
export function BulkScale({ images, onDone }: { images: readonly ImageRecord[]; onDone: (text: string) => void }) {
  const t = useSlideText();
  const count = useCountWords();
  const missing = images.filter((i) => !i.mpp);
  if (!missing.length) return null;
  return (
    <ScaleForm
      className="row"
      label={t('scaleForMissing')}
      clearOnApply
      disableWhenEmpty
      onScale={(v) => onDone(t('scaleSet', { count: count(setImagesMpp(missing.map((i) => i.id), v), 'image', 'images') }))}
    />
  );
}

/** A µm-per-pixel field and its Apply button; a value that is not a positive number is refused, saying what to enter. */
function ScaleForm(props: { className: string; label: string; initial?: string; autoFocus?: boolean; clearOnApply?: boolean; disableWhenEmpty?: boolean; onScale: (mpp: number) => void }) {
  const t = useSlideText();
  const [text, setText] = useState(props.initial ?? '');
  const [bad, setBad] = useState(false);
  return (
    <form
      className={props.className}
      onSubmit={(e) => {
        e.preventDefault();
        const v = parseScale(text);
        if (v === null) return setBad(true);
        props.onScale(v);
        if (props.clearOnApply) setText('');
      }}
    >
      <label>
        {props.label}
        <input inputMode="decimal" value={text} autoFocus={props.autoFocus} onChange={(e) => (setText(e.target.value), setBad(false))} aria-invalid={bad} />
      </label>
      <button type="submit" disabled={props.disableWhenEmpty && !text.trim()}>
        {t('apply')}
      </button>
      {bad && <span className="problems">{t('badScale')}</span>}
    </form>
  );
}
