import { useEffect, useState } from 'react';
import type { ImageRecord, Modality } from '../../model/types';
import { setImagesMpp } from '../../store/actions';
import { slideAccess } from '../../storage/slideFiles';
import { useSettings } from '../settingsStore';
import { addLocalSlides, groupSlides, pickDicomFolder, pickSlideFiles, type PickedSlide } from './addSlides';
import { useSlideText } from './slideText';

const SLIDE_ACCEPT = '.svs,.tif,.tiff,.btf,.ome.tif,.ome.tiff,.dcm,.ndpi,.mrxs,application/dicom,image/tiff';

/** The worklist's buttons for slide files: the picker with handles where the browser has one. */
export function AddSlideButtons({ modality, onProblems }: { modality: Modality; onProblems: (text: string | null) => void }) {
  const t = useSlideText();
  const [busy, setBusy] = useState(false);
  const add = async (picked: Promise<PickedSlide[] | null> | PickedSlide[]) => {
    onProblems(null);
    setBusy(true);
    try {
      const slides = await picked;
      if (!slides?.length) return;
      const problems = await addLocalSlides(slides, modality);
      if (problems.length) onProblems(problems.map((p) => t('slideProblem', { ...p })).join(' '));
    } catch (e) {
      onProblems((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {window.showOpenFilePicker ? (
        <button type="button" disabled={busy} onClick={() => void add(pickSlideFiles())}>
          {t('addSlides')}
        </button>
      ) : (
        <label className="file-button button">
          {t('addSlides')}
          <input
            type="file"
            multiple
            accept={SLIDE_ACCEPT}
            disabled={busy}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) void add(groupSlides(files));
            }}
          />
        </label>
      )}
      {window.showDirectoryPicker ? (
        <button type="button" disabled={busy} onClick={() => void add(pickDicomFolder())}>
          {t('addDicomFolder')}
        </button>
      ) : (
        <label className="file-button button">
          {t('addDicomFolder')}
          <input
            type="file"
            // A folder picker in every browser that lacks showDirectoryPicker.
            {...{ webkitdirectory: '' }}
            disabled={busy}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) void add([{ files }]);
            }}
          />
        </label>
      )}
    </>
  );
}

/** For a slide row: whether its file is reachable now ("file not open", "one click to allow"). */
export function SlideReach({ image }: { image: ImageRecord }) {
  const t = useSlideText();
  const [state, setState] = useState<'ready' | 'permission' | 'missing' | null>(null);
  const key = image.source.kind === 'slide' ? image.source.fileKey : null;
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
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const shown = image.mpp ? `${new Intl.NumberFormat(lang, { maximumSignificantDigits: 4 }).format(image.mpp)} ${t('scale')}` : t('scaleUnknown');
  if (!editing)
    return (
      <span className="scale-field">
        {' · '}
        {editable ? (
          <button type="button" className="link" aria-label={`${t('setScale')}: ${image.name}`} onClick={() => (setText(image.mpp ? String(image.mpp) : ''), setEditing(true))}>
            {shown}
          </button>
        ) : (
          shown
        )}
      </span>
    );
  return (
    <form
      className="row scale-field"
      onSubmit={(e) => {
        e.preventDefault();
        const v = parseScale(text);
        if (v === null) return setBad(true);
        setImagesMpp([image.id], v);
        setEditing(false);
      }}
    >
      <label>
        {t('scaleOf', { name: image.name })}
        <input inputMode="decimal" value={text} autoFocus onChange={(e) => (setText(e.target.value), setBad(false))} aria-invalid={bad} />
      </label>
      <button type="submit">{t('apply')}</button>
      {bad && <span className="problems">{t('badScale')}</span>}
    </form>
  );
}

/** One scale for every listed image that has none (a batch scanned at one magnification). */
export function BulkScale({ images, onDone }: { images: readonly ImageRecord[]; onDone: (text: string) => void }) {
  const t = useSlideText();
  const lang = useSettings((s) => s.lang);
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const missing = images.filter((i) => !i.mpp);
  if (!missing.length) return null;
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        const v = parseScale(text);
        if (v === null) return setBad(true);
        const n = setImagesMpp(missing.map((i) => i.id), v);
        const count = new Intl.NumberFormat(lang).format(n);
        onDone(t(new Intl.PluralRules(lang).select(n) === 'one' ? 'scaleSetOne' : 'scaleSetOther', { count }));
        setText('');
      }}
    >
      <label>
        {t('scaleForMissing')}
        <input inputMode="decimal" value={text} onChange={(e) => (setText(e.target.value), setBad(false))} aria-invalid={bad} />
      </label>
      <button type="submit" disabled={!text.trim()}>
        {t('apply')}
      </button>
      {bad && <span className="problems">{t('badScale')}</span>}
    </form>
  );
}
