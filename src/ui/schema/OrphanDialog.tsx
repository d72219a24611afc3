import { useEffect, useRef } from 'react';
import { useListFormat, useT, useTn } from '../i18n';
import type { PendingEdit } from './useSchemaEditing';

export function OrphanDialog({ pending, onConfirm, onCancel }: { pending: PendingEdit; onConfirm: () => void; onCancel: () => void }) {
  const t = useT();
  const tn = useTn();
  const list = useListFormat();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  const { impact } = pending;
  // The versions the affected annotations were made under: they keep those, whatever the current one is.
  const madeUnder = impact.madeUnder.length ? impact.madeUnder : [pending.fromVersion];
  const versions = tn('versionList', madeUnder.length, { list: list(madeUnder) });
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
        <p id="orphan-desc">{tn('orphanWarning', impact.affectedAnnotations, { versions })}</p>
        <ul>
          {impact.granularityChanged && <li>{tn('granularityChange', impact.affectedAnnotations)}</li>}
          {impact.orphanedClasses.map((o) => (
            <li key={`c${o.classId}`}>{tn('orphanClass', o.annotations, { id: o.classId })}</li>
          ))}
          {impact.orphanedAttributes.map((o) => (
            <li key={`a${o.classId}${o.attributeId}`}>{tn('orphanAttribute', o.annotations, { id: o.classId, attr: o.attributeId })}</li>
          ))}
          {impact.orphanedOptions.map((o) => (
            <li key={`o${o.classId}${o.attributeId}${o.optionId}`}>{tn('orphanOption', o.annotations, { attr: o.attributeId, option: o.optionId })}</li>
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
