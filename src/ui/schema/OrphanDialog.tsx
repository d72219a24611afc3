import { useEffect, useRef } from 'react';
import { useT } from '../i18n';
import type { PendingEdit } from './useSchemaEditing';

export function OrphanDialog({ pending, onConfirm, onCancel }: { pending: PendingEdit; onConfirm: () => void; onCancel: () => void }) {
  const t = useT();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const { impact } = pending;
  return (
    <div className="modal-backdrop">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="orphan-title"
        aria-describedby="orphan-desc"
        className="modal"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
      >
        <h2 id="orphan-title">{t('orphanWarningTitle')}</h2>
        <p id="orphan-desc">{t('orphanWarning', { count: impact.affectedAnnotations, version: pending.fromVersion })}</p>
        <ul>
          {impact.granularityChanged && <li>{t('granularityChange', { count: impact.affectedAnnotations })}</li>}
          {impact.orphanedClasses.map((o) => (
            <li key={`c${o.classId}`}>{t('orphanClass', { id: o.classId, count: o.annotations })}</li>
          ))}
          {impact.orphanedAttributes.map((o) => (
            <li key={`a${o.classId}${o.attributeId}`}>{t('orphanAttribute', { id: o.classId, attr: o.attributeId, count: o.annotations })}</li>
          ))}
          {impact.orphanedOptions.map((o) => (
            <li key={`o${o.classId}${o.attributeId}${o.optionId}`}>{t('orphanOption', { attr: o.attributeId, option: o.optionId, count: o.annotations })}</li>
          ))}
        </ul>
        <div className="row">
          <button type="button" ref={cancelRef} onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="button" className="danger" onClick={onConfirm}>
            {t('applyAnyway')}
          </button>
        </div>
      </div>
    </div>
  );
}
