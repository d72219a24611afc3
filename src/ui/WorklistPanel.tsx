import { useState } from 'react';
import { FileButton } from './FileButton';
import { MODALITIES, type Granularity, type ImageRecord, type Modality, type WorkState } from '../model/types';
import { statusId } from '../model/ids';
import { addImages, currentSchemaOf, removeImage } from '../store/actions';
import { fetchSlideInfo } from '../viewer/tileSourceInfo';
import { addLocalImageFiles } from './imageFiles';
import { useDoc } from './useDoc';
import { useSettings } from './settingsStore';
import { routeHref } from './router';
import { useT } from './i18n';
import type { DocState } from '../store/docState';
import { PatientIdField } from './privacy/PatientIdField';
import { SendBackButton, useMyRole } from './team/TeamPanel';
import { can } from '../team/roles';
import { AddSlideButtons, addSeriesFiles, BulkScale, ScaleField, SlideReach } from './slides/WorklistSlides';
import { useRadiologyText } from './radiology/radiologyText';
import { addLocalSlides, droppedSlides } from './slides/addSlides';
import { useSlideText } from './slides/slideText';
import { forEachFields } from '../store/packedAnnotations';

const DEFAULT_MODALITY: Record<Granularity, Modality> = { polygon: 'pathology-wsi', point: 'pathology-wsi', box: 'endoscopy', image: 'fundus' };

export function imageState(doc: DocState, imageId: string, annotatorId: string | undefined): { state: WorkState; noFinding: boolean } {
  const s = annotatorId ? doc.statuses.get(statusId(imageId, annotatorId)) : undefined;
  return { state: s?.state ?? 'todo', noFinding: s?.noFinding ?? false };
}

/** The images a person works on: their assignment when the project gives them one, else every image. */
export function worklistImages(doc: DocState, annotatorId: string | undefined): ImageRecord[] {
  const all = [...doc.images.values()].sort((a, b) => a.order - b.order);
  const mine = annotatorId ? doc.project.assignments?.find((a) => a.annotatorId === annotatorId) : undefined;
  if (!mine) return all;
  const ids = new Set(mine.imageIds);
  return all.filter((i) => ids.has(i.id));
}

export function nextUnfinished(doc: DocState, annotatorId: string | undefined, after?: string): ImageRecord | undefined {
  const images = worklistImages(doc, annotatorId);
  const start = after ? images.findIndex((i) => i.id === after) + 1 : 0;
  const rotated = [...images.slice(start), ...images.slice(0, start)];
  return rotated.find((i) => imageState(doc, i.id, annotatorId).state !== 'done');
}

export function WorklistPanel() {
  const doc = useDoc()!;
  const t = useT();
  const me = useSettings((s) => s.identity);
  const schema = currentSchemaOf(doc);
  // A project that already holds images adds more of the same kind; a new one starts from its schema's granularity.
  const first = [...doc.images.values()][0];
  const [modality, setModality] = useState<Modality>(first?.modality ?? DEFAULT_MODALITY[schema.granularity]);
  const [url, setUrl] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const images = worklistImages(doc, me?.id);
  const counts = { todo: 0, 'in-progress': 0, done: 0 };
  for (const im of images) counts[imageState(doc, im.id, me?.id).state]++;
  // Counted from the packs' fields: a slide's million outlines are not built for a number.
  const annotationCount = new Map<string, number>();
  forEachFields(doc.annotations, ['imageId', 'annotatorId'], (a) => {
    if (!me || a.annotatorId === me.id) annotationCount.set(a.imageId, (annotationCount.get(a.imageId) ?? 0) + 1);
  });
  const next = nextUnfinished(doc, me?.id);
  // The coordinator owns the worklist: annotators and reviewers label what they were given.
  const role = useMyRole();
  const owner = can(role, 'manage-team');

  const st = useSlideText();
  const rt = useRadiologyText();
  const onFiles = async (files: File[], items?: DataTransferItemList) => {
    setMessage(null);
    // Slide files (and DICOM folders) open from disk; JPEG/PNG files are stored in the browser.
    const { slides, images: plain } = await droppedSlides(items, files);
    if (modality === 'radiology') {
      // Every dropped file and folder is read as DICOM CT/MR (their names need not end in .dcm).
      const picked = [...slides, ...(plain.length ? [{ files: plain }] : [])];
      const lines = await addSeriesFiles(picked, (list) => rt('seriesAdded', { list }));
      setMessage(lines.length ? lines.join(' ') : null);
      return;
    }
    const problems = [
      ...(slides.length ? (await addLocalSlides(slides, modality)).map((p) => st('slideProblem', { ...p })) : []),
      ...(plain.length ? (await addLocalImageFiles(doc.project.id, plain, modality)).map((p) => t('fileProblem', { name: p.fileName })) : []),
    ];
    if (problems.length) setMessage(problems.join(' '));
  };

  const onUrl = async (e: React.FormEvent) => {
    e.preventDefault();
    setMessage(null);
    try {
      const info = await fetchSlideInfo(url.trim());
      const name = decodeURIComponent(url.trim().split('/').filter(Boolean).slice(-1)[0] ?? url);
      addImages([{ name, modality, source: { kind: info.kind, url: url.trim() }, width: info.width, height: info.height }]);
      setUrl('');
    } catch (err) {
      setMessage(t('urlProblem', { message: (err as Error).message }));
    }
  };

  return (
    <section
      aria-label={t('worklist')}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        if (owner) void onFiles([...e.dataTransfer.files], e.dataTransfer.items);
      }}
    >
      <div className="row toolbar">
        <p data-testid="worklist-counts">{t('counts', { todo: counts.todo, progress: counts['in-progress'], done: counts.done })}</p>
        {doc.project.package && <SendBackButton />}
        {next && (
          <a className="button" href={routeHref({ page: 'annotate', projectId: doc.project.id, imageId: next.id })}>
            {t('nextUnfinished')}
          </a>
        )}
      </div>
      {owner && <div className="row card">
        <label>
          {t('modality')}
          <select value={modality} onChange={(e) => setModality(e.target.value as Modality)}>
            {MODALITIES.map((m) => (
              <option key={m} value={m}>
                {t(`modality.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <FileButton accept="image/jpeg,image/png,.jpg,.jpeg,.png" multiple onFiles={(files) => void onFiles(files)}>
          {t('addFiles')}
        </FileButton>
        <AddSlideButtons modality={modality} onProblems={setMessage} />
        <form onSubmit={onUrl} className="row">
          <label>
            {t('addSlideUrl')}
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/slide.dzi" />
          </label>
          <button type="submit" disabled={!url.trim()}>
            {t('add')}
          </button>
        </form>
        <BulkScale images={images} onDone={setMessage} />
      </div>}
      {message && (
        <p role="alert" className="problems">
          {message}
        </p>
      )}
      {images.length === 0 ? (
        <p>{t('emptyWorklist')}</p>
      ) : (
        <table className="worklist">
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('modality')}</th>
              <th>{t('size')}</th>
              <th>{t('annotations')}</th>
              <th>{t('status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {images.map((im) => {
              const st = imageState(doc, im.id, me?.id);
              const count = annotationCount.get(im.id) ?? 0;
              return (
                <tr key={im.id} data-testid="worklist-row">
                  <td>
                    <a href={routeHref({ page: 'annotate', projectId: doc.project.id, imageId: im.id })}>{im.name}</a>
                    <SlideReach image={im} />
                    <PatientIdField image={im} />
                  </td>
                  <td>{t(`modality.${im.modality}`)}</td>
                  <td>
                    {im.width.toLocaleString()} × {im.height.toLocaleString()}
                    <ScaleField image={im} editable={owner} />
                  </td>
                  <td>{count}</td>
                  <td data-testid="image-status">
                    {t(`status.${st.state}`)}
                    {st.noFinding ? ` · ${t('noFinding')}` : ''}
                  </td>
                  <td>
                    {owner && <button
                      type="button"
                      className="link danger"
                      aria-label={`${t('remove')}: ${im.name}`}
                      onClick={() => {
                        const n = doc.annotationsByImage.get(im.id)?.size ?? 0;
                        if (confirm(t('removeImageConfirm', { name: im.name, count: n }))) removeImage(im.id);
                      }}
                    >
                      {t('remove')}
                    </button>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
