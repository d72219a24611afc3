import { useEffect, useState, type ReactNode } from 'react';
import type { ImageRecord } from '../../model/types';
import { rememberSlideFiles, slideAccess, type SlideAccess } from '../../storage/slideFiles';
import { useSettings } from '../settingsStore';
import { sameSlide, groupSlides, pickDicomFolder, pickSlideFiles } from './addSlides';
import { FileButton } from '../FileButton';
import { useSlideText } from './slideText';

type SlideImage = ImageRecord & { source: Extract<ImageRecord['source'], { kind: 'slide' | 'dicom-series' }> };

/** An image whose files stay on the user's disk: a slide, or a CT/MR series. */
export function isSlideImage(image: ImageRecord): image is SlideImage {
  return image.source.kind === 'slide' || image.source.kind === 'dicom-series';
}

/** "1.2 GB" / "1.2 GB" per language. */
export function useByteSize(): (bytes: number) => string {
  const lang = useSettings((s) => s.lang);
  return (bytes) => {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
    let i = 0;
    let v = bytes;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return new Intl.NumberFormat(lang, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: 1 }).format(v);
  };
}

/**
 * Before a slide on the user's disk is shown: the browser may ask once more for access (one click)
 * or, where it cannot keep access across reloads, the user chooses the file again. Never a blank
 * viewer: until the file is reachable this says why and offers the one action that fixes it.
 */
export function SlideGate({ image, children }: { image: ImageRecord; children: ReactNode }) {
  const t = useSlideText();
  const size = useByteSize();
  const [access, setAccess] = useState<SlideAccess | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const key = isSlideImage(image) ? image.source.fileKey : null;

  useEffect(() => {
    if (!key) return;
    let live = true;
    setAccess(null);
    void slideAccess(key).then((a) => live && setAccess(a));
    return () => {
      live = false;
    };
  }, [key, tick]);

  if (!isSlideImage(image)) return <>{children}</>;
  const name = image.source.fileNames.length > 1 ? image.name : image.source.fileNames[0];
  if (!access) return <p className="muted" role="status">{t('opening', { name })}</p>;
  if (access.state === 'ready') return <>{children}</>;

  const chosen = async (files: File[], handles?: Parameters<typeof rememberSlideFiles>[2]) => {
    if (!sameSlide(image.source, files)) {
      setProblem(t('notThisFile', { got: files.map((f) => f.name).join(', '), expected: image.source.fileNames.join(', '), size: size(image.source.bytes) }));
      return;
    }
    setProblem(null);
    await rememberSlideFiles(image.source.fileKey, files, handles);
    setTick((n) => n + 1);
  };

  return (
    <div className="card slide-gate" role="alert" data-testid="slide-gate">
      {access.state === 'permission' ? (
        <>
          <p>{t('needsPermission', { name })}</p>
          <button
            type="button"
            onClick={() =>
              void access.grant().then(
                () => setTick((n) => n + 1),
                (e: Error) => setProblem(e.message),
              )
            }
          >
            {t('allowAccess', { name })}
          </button>
        </>
      ) : (
        <>
          <p>{t('missing', { name })}</p>
          {!window.showOpenFilePicker && <p className="muted">{t('missingNoHandles')}</p>}
          {window.showOpenFilePicker ? (
            <button
              type="button"
              onClick={() =>
                void (image.source.kind === 'dicom-series' && window.showDirectoryPicker ? pickDicomFolder() : pickSlideFiles()).then(
                  (picked) => {
                    if (picked?.length) void chosen(picked.flatMap((p) => p.files), picked.flatMap((p) => p.handles ?? []));
                  },
                  (e: Error) => setProblem(e.message),
                )
              }
            >
              {t('chooseAgain', { name })}
            </button>
          ) : (
            <FileButton multiple onFiles={(files) => void chosen(groupSlides(files).flatMap((p) => p.files))}>
              {t('chooseAgain', { name })}
            </FileButton>
          )}
        </>
      )}
      {problem && <p className="problems">{problem}</p>}
    </div>
  );
}
