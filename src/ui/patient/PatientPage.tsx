/**
 * One pseudonymous patient across every project and modality in this browser: slides, CT/MR
 * series, endoscopy frames and fundus photographs side by side, each with its labels. The page
 * knows the patient only by the pseudonym; linking needs the projects to share a pseudonym key
 * (Project settings → import the key), as a hospital's projects do.
 */
import { useEffect, useState } from 'react';
import { makeTextHook, useCountWords, useLocalized, useT } from '../i18n';
import { patientImages } from '../../store/workspace';
import type { PatientImage } from '../../storage/repository';
import { useSettings } from '../settingsStore';
import { routeHref } from '../router';
import { loadBlob } from '../../store/workspace';

const en = {
  title: 'Patient {key}',
  intro: 'Every image of this pseudonymous patient in this browser’s projects. Projects link the same patient only when they share a pseudonym key (Project settings → Pseudonym key).',
  none: 'No image of this patient in any project of this browser.',
  noLabels: 'No labels yet',
  labels: 'Labels',
  shapes: '{name}: {count}',
  imageLabel: '{name} (image label)',
  open: 'Open',
  slices: '{count} slices',
  hidden: 'Other annotators’ labels are hidden in this project (blind annotation).',
} as const;
const ja: Record<keyof typeof en, string> = {
  title: '患者 {key}',
  intro: 'このブラウザのプロジェクトにある、この仮名化患者の画像すべて。同じ患者が結び付くのは、プロジェクトが仮名化キーを共有しているときだけです（プロジェクト設定 → 仮名化キー）。',
  none: 'このブラウザのどのプロジェクトにも、この患者の画像はありません。',
  noLabels: 'ラベルはまだありません',
  labels: 'ラベル',
  shapes: '{name}：{count} 件',
  imageLabel: '{name}（画像ラベル）',
  open: '開く',
  slices: '{count} スライス',
  hidden: 'このプロジェクトでは他のアノテータのラベルは表示されません（ブラインド）。',
};
const usePatientText = makeTextHook({ en, ja });

function Thumbnail({ item }: { item: PatientImage }) {
  const [url, setUrl] = useState<string | null>(null);
  const src = item.image.source;
  const blobId = src.kind === 'file' ? src.blobId : null;
  const direct = src.kind === 'image-url' ? src.url : null;
  useEffect(() => {
    if (!blobId) return;
    let live = true;
    let made: string | null = null;
    void loadBlob(blobId).then((b) => {
      if (!live || !b) return;
      made = URL.createObjectURL(b.data);
      setUrl(made);
    });
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [blobId]);
  const shown = url ?? direct;
  if (!shown) return <div className="patient-thumb placeholder" aria-hidden="true">{src.kind === 'dicom-series' ? src.modality : src.kind === 'slide' ? 'WSI' : '—'}</div>;
  return <img className="patient-thumb" src={shown} alt="" />;
}

export function PatientPage({ patientKey }: { patientKey: string }) {
  const t = usePatientText();
  const tt = useT();
  const loc = useLocalized();
  const count = useCountWords();
  const me = useSettings((s) => s.identity);
  const [items, setItems] = useState<PatientImage[] | null>(null);
  useEffect(() => {
    let live = true;
    void patientImages(patientKey).then((r) => live && setItems(r));
    return () => {
      live = false;
    };
  }, [patientKey]);

  return (
    <main className="page patient-page">
      <h1>{t('title', { key: patientKey })}</h1>
      <p className="muted">{t('intro')}</p>
      {!items ? (
        <p>…</p>
      ) : items.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul className="patient-grid">
          {items.map((item) => {
            const { project, image, schemas } = item;
            const visible = item.labels.filter((l) => project.reviewMode || l.annotatorId === me?.id);
            const className = (schemaId: string, version: number, classId: string) => {
              const c = schemas.find((s) => s.id === schemaId && s.version === version)?.classes.find((x) => x.id === classId);
              return c ? loc(c.name) : classId;
            };
            const shapes = new Map<string, number>();
            const imageLabels = new Set<string>();
            for (const l of visible) {
              const name = className(l.schemaId, l.schemaVersion, l.classId);
              if (l.shape) shapes.set(name, (shapes.get(name) ?? 0) + 1);
              else imageLabels.add(name);
            }
            return (
              <li key={image.id} className="card patient-card" data-testid="patient-image">
                <Thumbnail item={item} />
                <div>
                  <strong>{image.name}</strong>
                  <div className="muted">
                    {project.name} · {tt(`modality.${image.modality}`)}
                    {image.source.kind === 'dicom-series' ? ` · ${t('slices', { count: image.source.slices.length })}` : ''}
                  </div>
                  <div aria-label={t('labels')} data-testid="patient-labels">
                    {shapes.size === 0 && imageLabels.size === 0 ? (
                      <span className="muted">{t('noLabels')}</span>
                    ) : (
                      <ul>
                        {[...imageLabels].map((n) => (
                          <li key={`i-${n}`}>{t('imageLabel', { name: n })}</li>
                        ))}
                        {[...shapes].map(([n, k]) => (
                          <li key={`s-${n}`}>{t('shapes', { name: n, count: count(k, 'shape', 'shapes') })}</li>
                        ))}
                      </ul>
                    )}
                  </div>
                  {!project.reviewMode && visible.length < item.labels.length && <p className="muted">{t('hidden')}</p>}
                  <a className="button" href={routeHref({ page: 'annotate', projectId: project.id, imageId: image.id })}>
                    {t('open')}
                  </a>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
