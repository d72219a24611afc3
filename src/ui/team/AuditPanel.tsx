import { useState } from 'react';
import type { AuditEntry } from '../../model/types';
import { useDoc } from '../useDoc';
import { useTeamText } from './teamText';

/** The project's append-only audit trail, newest first, for the whole project or one image. */
export function AuditPanel() {
  const doc = useDoc()!;
  const t = useTeamText();
  const [imageId, setImageId] = useState('');
  const images = [...doc.images.values()].sort((a, b) => a.order - b.order);
  const entries = [...doc.audit.values()]
    .filter((e) => !imageId || e.imageId === imageId)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  // One action on many images is one entry per image (so each image has its history); the
  // project's view shows them as one row.
  const rows: { key: string; entry: AuditEntry; images: Set<string>; records: number }[] = [];
  for (const e of entries) {
    const last = rows[rows.length - 1];
    if (last && last.entry.at === e.at && last.entry.actor === e.actor && last.entry.action === e.action && last.entry.recordKind === e.recordKind && last.entry.detail === e.detail) {
      if (e.imageId) last.images.add(e.imageId);
      last.records += e.targets.length;
    } else rows.push({ key: e.id, entry: e, images: new Set(e.imageId ? [e.imageId] : []), records: e.targets.length });
  }
  const imageCell = (ids: Set<string>) => (ids.size === 1 ? (doc.images.get([...ids][0])?.name ?? [...ids][0]) : ids.size > 1 ? t.count('images', ids.size) : '');
  const name = (id: string) => doc.annotators.get(id)?.displayName ?? (id || '—');
  return (
    <section aria-label={t('auditTab')} className="audit-panel">
      <label>
        {t('auditFilter')}
        <select value={imageId} onChange={(e) => setImageId(e.target.value)}>
          <option value="">{t('auditAll')}</option>
          {images.map((im) => (
            <option key={im.id} value={im.id}>
              {im.name}
            </option>
          ))}
        </select>
      </label>
      {!entries.length ? (
        <p className="muted">{t('auditEmpty')}</p>
      ) : (
        <table className="grid" data-testid="audit">
          <thead>
            <tr>
              <th>{t('when')}</th>
              <th>{t('who')}</th>
              <th>{t('what')}</th>
              <th>{t('image')}</th>
              <th>{t('records')}</th>
              <th>{t('detail')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, 500).map(({ key, entry: e, images: ids, records }) => (
              <tr key={key}>
                <td>
                  <time dateTime={e.at}>{t.time(e.at)}</time>
                </td>
                <td>{name(e.actor)}</td>
                <td>
                  {t(`action.${e.action}`)} {t.kind(e.recordKind)}
                </td>
                <td>{imageCell(ids)}</td>
                <td>{t.count('records', records)}</td>
                <td>{e.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
