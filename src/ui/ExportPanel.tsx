import { useRef, useState } from 'react';
import type { FormatName } from '../formats/detect';
import type { ShapeGap } from '../model/labelChecks';
import { exportableProject, exportSharedChunks, type ExportedProject } from '../store/importExport';
import { updateProject } from '../store/actions';
import { useDoc } from './useDoc';
import { downloadBlob, safeFileName } from './download';
import { ExportCancelled, foreignDownloads, sharedDownload, type Download, type WriteControl } from './exportFiles';
import { canExportInWorker, exportInWorker } from '../store/exportClient';
import { checkLabels, exportFileName, STREAMED_EXPORTS, type ExportCounts, type SaveFileHandle, type StreamedExportFormat } from '../store/exportWrite';
import { englishCount } from '../model/words';
import { useCountWords, useLocalized, useT } from './i18n';
import { gapWhat, shapeText, useLabelCheckText } from './labelCheckText';

const FORMATS: FormatName[] = ['shared', 'coco', 'geojson', 'csv', 'yolo'];

/** Rows of the pre-export check shown before "and N more". */
const MAX_LISTED = 50;

/** What an export made: its files and what it holds, or the labels to ask about first. */
type Made = ({ downloads: Download[]; warnings: string[]; saved?: string } & ExportCounts) | { gaps: ShapeGap[]; gapCount: number; gapLabels: number };

/**
 * An export ready to run; `write` checks the labels first unless told to go on regardless (then
 * returns the gaps instead of writing), and writes the files.
 */
interface Prepared {
  write: (control: WriteControl, allowGaps: boolean) => Promise<Made>;
  /** The file the user chose to write to (File System Access API): removed if the export does not go on. */
  handle?: SaveFileHandle;
}

/** What a page-side export writes, checked first as the worker checks (exportWrite.ts `checkLabels`). */
function pageExport(exported: ExportedProject, files: (control: WriteControl) => Promise<{ downloads: Download[]; warnings: string[] }>): Prepared {
  return {
    write: async (control, allowGaps) => {
      const gaps = allowGaps ? null : checkLabels(exported.data);
      if (gaps) return gaps;
      return { ...(await files(control)), images: exported.data.images.length, annotations: exported.data.annotations.length, excludedImages: exported.excludedImages };
    },
  };
}

/** The browser's save dialog, where it has one (Chrome, Edge): the export is written straight into the chosen file. */
type SavePicker = (opts: { suggestedName: string }) => Promise<SaveFileHandle>;
const savePicker = (): SavePicker | undefined => (window as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker?.bind(window);

/**
 * From this many annotations the export goes straight into a file chosen first (where the browser
 * can): a slide's outlines make hundreds of MB, which are then never held as one Blob. Below it, the
 * usual download; either way the choice is the user's.
 */
const SAVE_TO_FILE_FROM = 100_000;

export function ExportPanel() {
  const doc = useDoc()!;
  const t = useT();
  const count = useCountWords();
  const lt = useLabelCheckText();
  const loc = useLocalized();
  const [format, setFormat] = useState<FormatName>('shared');
  const [includeImages, setIncludeImages] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ images: number; annotations: number; excluded: number; warnings: string[]; saved?: string } | null>(null);
  /** Labels lacking a required value, shown before anything is written; the user goes on or cancels. */
  const [check, setCheck] = useState<{ gaps: ShapeGap[]; count: number; labels: number; prepared: Prepared } | null>(null);
  const [cancelled, setCancelled] = useState(false);
  /** How far a file being written is (0 to 1), while it is written. */
  const [progress, setProgress] = useState<number | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [saveToFile, setSaveToFile] = useState(() => doc.annotations.size >= SAVE_TO_FILE_FROM);
  const canSaveToFile = STREAMED_EXPORTS.includes(format) && canExportInWorker() && savePicker() !== undefined;
  const writing = useRef<AbortController | null>(null);

  const prepare = async (handle: SaveFileHandle | undefined): Promise<Prepared | null> => {
    if (STREAMED_EXPORTS.includes(format) && canExportInWorker()) {
      // Checked and written in a worker from the stored project, through the streaming writers: the
      // page never holds the project a second time.
      const write = async (control: WriteControl, allowGaps: boolean): Promise<Made> => {
        const r = await exportInWorker({ projectId: doc.project.id, format: format as StreamedExportFormat, includeImages, allowGaps }, { handle, onProgress: control.onProgress, signal: control.signal });
        if (r.ok) return { downloads: r.blob ? [{ name: r.name, parts: [r.blob], mime: r.mime }] : [], warnings: r.warnings, ...(handle ? { saved: handle.name } : {}), images: r.images, annotations: r.annotations, excludedImages: r.excludedImages };
        if ('gaps' in r) return r;
        throw r.cancelled ? new ExportCancelled() : new Error(r.message);
      };
      return { write, handle };
    }
    if (format === 'shared') {
      const out = await exportSharedChunks(doc.project.id, { includeImages });
      if (!out) return null;
      const name = `${safeFileName(doc.project.name)}.granula.json`;
      return pageExport(out, async (control) => ({ downloads: [await sharedDownload(name, out.chunks, out.data.annotations.length, control)], warnings: [] }));
    }
    const exported = await exportableProject(doc.project.id);
    if (!exported) return null;
    // A YOLO dataset, or GeoJSON's file per image, comes as one .zip holding the folder.
    return pageExport(exported, (control) => foreignDownloads(exported.data, format, { includeImages }, control));
  };

  /** Runs the export; labels lacking a value stop it for the user's word first, unless `incomplete` says they gave it. */
  const run = async (prepared: Prepared, incomplete: number | null) => {
    const abort = new AbortController();
    writing.current = abort;
    setBusy(true);
    setProgress(0);
    let made: Made;
    try {
      made = await prepared.write({ signal: abort.signal, onProgress: setProgress }, incomplete !== null);
    } catch (e) {
      void prepared.handle?.remove?.().catch(() => undefined);
      if (e instanceof ExportCancelled) setCancelled(true);
      else setFailed(e instanceof Error ? e.message : String(e));
      return;
    } finally {
      writing.current = null;
      setProgress(null);
      setBusy(false);
    }
    if ('gaps' in made) {
      setCheck({ gaps: made.gaps, count: made.gapCount, labels: made.gapLabels, prepared });
      return;
    }
    const { downloads, warnings } = made;
    for (const d of downloads) downloadBlob(d.name, d.parts, d.mime);
    const entry = {
      at: new Date().toISOString(),
      format: includeImages && (format === 'shared' || format === 'yolo') ? `${format}+images` : format,
      images: made.images,
      annotations: made.annotations,
      excludedImages: made.excludedImages,
      ...(made.excludedImages ? { reason: 'patients opted out' } : {}),
    };
    updateProject({ exportLog: [...doc.project.exportLog, entry] }, 'Log export', {
      action: 'export',
      detail:
        `${entry.format}: ${englishCount(entry.images, 'image')}, ${englishCount(entry.annotations, 'annotation')}` +
        `${entry.excludedImages ? `, ${englishCount(entry.excludedImages, 'image')} left out (opt-out)` : ''}` +
        `${incomplete ? `, ${englishCount(incomplete, 'label')} lacking a required value` : ''}`,
    });
    setReport({ images: entry.images, annotations: entry.annotations, excluded: made.excludedImages, warnings, saved: made.saved });
  };

  const onExport = async () => {
    setReport(null);
    setCheck(null);
    setCancelled(false);
    setFailed(null);
    let handle: SaveFileHandle | undefined;
    const picker = canSaveToFile && saveToFile ? savePicker() : undefined;
    if (picker) {
      // Asked first, while the click still allows a dialog; closing it exports nothing.
      try {
        handle = await picker({ suggestedName: exportFileName(doc.project.name, format as StreamedExportFormat, [...doc.images.values()]) });
      } catch (e) {
        if ((e as DOMException).name === 'AbortError') return setCancelled(true);
        // Refused for another reason (a policy, an old browser): the export comes as a download.
      }
    }
    setBusy(true);
    try {
      const prepared = await prepare(handle);
      if (prepared) await run(prepared, null);
    } finally {
      setBusy(false);
    }
  };

  const goOn = () => {
    if (!check) return;
    setCheck(null);
    void run(check.prepared, check.labels);
  };

  const imageNames = new Map([...doc.images.values()].map((im) => [im.id, im.name]));
  const annotatorNames = new Map([...doc.annotators.values()].map((a) => [a.id, a.displayName]));

  return (
    <section aria-label={t('export')}>
      <div className="card">
        <div className="row">
          <label>
            {t('exportFormat')}
            <select
              value={format}
              onChange={(e) => {
                setFormat(e.target.value as FormatName);
                setCheck(null);
              }}
            >
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`format.${f}`)}
                </option>
              ))}
            </select>
          </label>
          {(format === 'shared' || format === 'yolo') && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={includeImages}
                onChange={(e) => {
                  setIncludeImages(e.target.checked);
                  setCheck(null);
                }}
              />
              {t(format === 'yolo' ? 'includeImagesDataset' : 'includeImages')}
            </label>
          )}
          {canSaveToFile && (
            <label className="checkbox">
              <input type="checkbox" checked={saveToFile} onChange={(e) => setSaveToFile(e.target.checked)} />
              {lt('exportSaveToFile')}
            </label>
          )}
          <button type="button" className="primary" onClick={() => void onExport()} disabled={busy || !!check}>
            {t('exportButton')}
          </button>
        </div>
        <p className="muted">{t('exportPrivacyNote', { count: doc.project.optOut.length })}</p>
        {check && (
          <div role="alertdialog" aria-labelledby="export-check-title" className="problems" data-testid="export-check">
            <p id="export-check-title">{lt('exportCheckTitle', { count: check.labels })}</p>
            <table>
              <thead>
                <tr>
                  <th>{lt('exportCheckImage')}</th>
                  <th>{lt('exportCheckAnnotator')}</th>
                  <th>{lt('exportCheckShape')}</th>
                  <th>{lt('exportCheckMissing')}</th>
                </tr>
              </thead>
              <tbody>
                {check.gaps.slice(0, MAX_LISTED).map((g, i) => (
                  <tr key={i} data-testid="export-check-row">
                    <td>{imageNames.get(g.annotation.imageId) ?? g.annotation.imageId}</td>
                    <td>{annotatorNames.get(g.annotation.annotatorId) ?? g.annotation.annotatorId}</td>
                    <td>{shapeText(lt, g.shape)}</td>
                    <td>{gapWhat(g.gap, loc)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {check.count > MAX_LISTED && <p>{lt('exportCheckMore', { count: check.count - MAX_LISTED })}</p>}
            <div className="row">
              <button type="button" className="primary" onClick={goOn}>
                {lt('exportAnyway')}
              </button>
              <button
                type="button"
                onClick={() => {
                  void check.prepared.handle?.remove?.().catch(() => undefined);
                  setCheck(null);
                  setCancelled(true);
                }}
              >
                {lt('exportCancel')}
              </button>
            </div>
          </div>
        )}
        {progress !== null && (
          <div className="row" role="status" data-testid="export-progress">
            <span>{lt('exportWriting', { percent: Math.floor(progress * 100) })}</span>
            <button type="button" onClick={() => writing.current?.abort()}>
              {lt('exportCancel')}
            </button>
          </div>
        )}
        {cancelled && <p role="status">{lt('exportCancelled')}</p>}
        {failed && <p role="alert">{lt('exportFailed', { message: failed })}</p>}
        {report && (
          <div role="status" data-testid="export-report">
            <p>{t('exportDone', { images: report.images, annotations: report.annotations })}</p>
            {report.saved && <p data-testid="export-saved">{lt('exportSavedTo', { name: report.saved })}</p>}
            {report.excluded > 0 && <p data-testid="export-excluded">{t('exportExcluded', { count: count(report.excluded, 'image', 'images') })}</p>}
            {report.warnings.length > 0 && (
              <ul className="muted">
                {report.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {doc.project.exportLog.length > 0 && (
        <div className="card">
          <h3>{t('exportLog')}</h3>
          <ul data-testid="export-log">
            {[...doc.project.exportLog].reverse().map((e, i) => (
              <li key={i}>
                {e.at.replace('T', ' ').slice(0, 19)} · {e.format} · {e.images} {t('images')} · {e.annotations} {t('annotations')}
                {e.excludedImages ? ` · ${t('exportExcluded', { count: count(e.excludedImages, 'image', 'images') })}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
