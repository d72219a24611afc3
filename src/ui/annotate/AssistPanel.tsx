import { useState } from 'react';
import type { ImageRecord } from '../../model/types';
import { setImagesMpp } from '../../store/actions';
import { useAssist } from '../../store/assistStore';
import { useSession } from '../../store/sessionStore';
import { useT } from '../i18n';

/** The assistant's suggestions wait here for a person: accept, reject, reclassify. */
export function AssistPanel({ annotatorId, image }: { annotatorId: string; image: ImageRecord }) {
  const tool = useSession((s) => s.tool);
  const suggestions = useAssist((s) => s.suggestions);
  const current = useAssist((s) => s.current);
  const wand = useAssist((s) => s.wand);
  const t = useT();
  const [scale, setScale] = useState('');
  if (tool !== 'wand' && tool !== 'propose' && !suggestions.length) return null;
  const a = useAssist.getState();
  return (
    <section aria-label={t('suggestions')} className="assist-panel">
      {(tool === 'wand' || tool === 'propose') && !image.mpp && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const v = Number(scale.replace(',', '.'));
            if (v > 0 && Number.isFinite(v)) setImagesMpp([image.id], v);
          }}
        >
          <label>
            {t('assistScale')} <input type="number" step="any" min="0" inputMode="decimal" value={scale} onChange={(e) => setScale(e.target.value)} aria-describedby="assist-scale-help" />
          </label>
          <button type="submit" disabled={!(Number(scale.replace(',', '.')) > 0)}>
            {t('assistScaleSet')}
          </button>
          <p id="assist-scale-help" className="muted">
            {t('assistScaleHelp')}
          </p>
        </form>
      )}
      {tool === 'wand' && <p className="muted">{t('wandHelp')}</p>}
      {wand?.geometry && tool === 'wand' && (
        <div className="row">
          <button type="button" onClick={() => useAssist.getState().setWand(null)}>
            {t('rejectCurrent')} <kbd>Esc</kbd>
          </button>
        </div>
      )}
      {suggestions.length > 0 && (
        <>
          <h3>
            {t('suggestions')}: <span data-testid="suggestion-count">{suggestions.length}</span>
          </h3>
          <p className="muted">{t('suggestionsHelp')}</p>
          <div className="row">
            <button type="button" className="primary" onClick={() => a.accept(suggestions.map((s) => s.id), annotatorId)}>
              {t('acceptAll')} <kbd>A</kbd>
            </button>
            <button type="button" onClick={() => suggestions[current] && a.accept([suggestions[current].id], annotatorId)}>
              {t('acceptCurrent')} <kbd>Enter</kbd>
            </button>
            <button type="button" onClick={() => suggestions[current] && a.reject([suggestions[current].id])}>
              {t('rejectCurrent')} <kbd>Del</kbd>
            </button>
            <button type="button" onClick={() => a.setCurrent((current + 1) % suggestions.length)}>
              {t('nextSuggestion')} <kbd>N</kbd>
            </button>
            <button type="button" onClick={() => a.reject(suggestions.map((s) => s.id))}>
              {t('rejectAll')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
