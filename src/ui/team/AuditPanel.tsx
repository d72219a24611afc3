import { useState } from 'react';
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
        <table data-testid="audit">
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
            {entries.slice(0, 500).map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.at}>{t.time(e.at)}</time>
                </td>
                <td>{name(e.actor)}</td>
                <td>
                  {t(`action.${e.action}`)} {e.recordKind ?? ''}
                </td>
                <td>{e.imageId ? (doc.images.get(e.imageId)?.name ?? e.imageId) : ''}</td>
                <td>{t.count('records', e.targets.length)}</td>
                <td>{e.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
