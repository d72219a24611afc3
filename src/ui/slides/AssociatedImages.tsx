import { useEffect, useRef, useState } from 'react';
import type { ImageRecord } from '../../model/types';
import { slideAccess } from '../../storage/slideFiles';
import { slideClient } from '../../viewer/slideClient';
import { useSlideText } from './slideText';

function Bitmap({ bitmap, label }: { bitmap: ImageBitmap; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    c.width = bitmap.width;
    c.height = bitmap.height;
    c.getContext('2d')?.drawImage(bitmap, 0, 0);
  }, [bitmap]);
  return (
    <figure>
      <canvas ref={ref} role="img" aria-label={label} className="associated-image" />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/**
 * A slide's label and macro images, read from the file only when the user asks, shown here and
 * nowhere else: they are never part of an export, a backup or a work package.
 */
export function AssociatedImages({ image }: { image: ImageRecord }) {
  const t = useSlideText();
  const [open, setOpen] = useState(false);
  const [images, setImages] = useState<{ name: string; bitmap: ImageBitmap }[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const names = image.source.kind === 'slide' ? (image.source.associated ?? []).filter((n) => n !== 'thumbnail') : [];
  const fileKey = image.source.kind === 'slide' ? image.source.fileKey : '';

  useEffect(() => {
    if (!open) return;
    let live = true;
    const shown: ImageBitmap[] = [];
    void (async () => {
      const access = await slideAccess(fileKey);
      if (access.state !== 'ready') throw new Error('the slide file is not open');
      const client = slideClient();
      const { slideId } = await client.open(access.files);
      try {
        for (const name of names) {
          const bitmap = await client.associated(slideId, name);
          shown.push(bitmap);
          if (live) setImages((l) => [...l, { name, bitmap }]);
        }
      } finally {
        void client.close(slideId);
      }
    })().catch((e: Error) => live && setProblem(e.message));
    return () => {
      live = false;
      setImages([]);
      for (const b of shown) b.close();
    };
  }, [open, fileKey]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!names.length) return null;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {t('showAssociated')}
      </button>
      {open && (
        <div className="modal-backdrop" onClick={() => setOpen(false)}>
          <div className="modal associated" role="dialog" aria-label={t('showAssociated')} onClick={(e) => e.stopPropagation()}>
            <p className="warning">{t('associatedWarning')}</p>
            <div className="row">
              {images.map((im) => (
                <Bitmap key={im.name} bitmap={im.bitmap} label={im.name} />
              ))}
            </div>
            {problem && <p className="problems">{problem}</p>}
            <button type="button" onClick={() => setOpen(false)}>
              {t('close')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
