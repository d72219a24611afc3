// @vitest-environment jsdom
// The diagnosis panel offers the DR grade only for a class it applies to, and Enter is refused,
// with the reason, while the chosen class's required attribute is empty.
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import { statusId } from '../../model/ids';
import type { LabelSchema } from '../../model/types';
import { currentSchemaOf } from '../../store/actions';
import { useDocStore } from '../../store/docStore';
import { useSession } from '../../store/sessionStore';
import { useSettings } from '../settingsStore';
import { ImageLabelPanel } from './ImageLabelPanel';

function openFundus(edit: (s: LabelSchema) => LabelSchema = (s) => s): LabelSchema {
  const data = newProjectData({ name: 'Fundus', template: 'fundus-diagnosis', now: '2026-01-01T00:00:00.000Z' });
  data.schemas = data.schemas.map(edit);
  data.images.push({ id: 'eye', projectId: data.project.id, name: 'eye.png', modality: 'fundus', source: { kind: 'image-url', url: 'eye.png' }, width: 800, height: 800, order: 0, addedAt: 't' });
  act(() => useDocStore.getState().open(data));
  return currentSchemaOf(useDocStore.getState().doc!);
}

beforeEach(() => {
  useSettings.setState({ lang: 'en' });
  useSession.setState({ message: null });
});

describe('diagnosis label panel', () => {
  it('offers the DR grade for diabetic retinopathy and not for glaucoma suspect', async () => {
    const schema = openFundus();
    const user = userEvent.setup();
    render(<ImageLabelPanel schema={schema} imageId="eye" annotatorId="dr-a" onNext={() => {}} />);
    await user.click(screen.getByRole('button', { name: /Glaucoma suspect/ }));
    expect(screen.queryByRole('radiogroup', { name: 'Diabetic retinopathy grade' })).toBeNull();
    await user.click(screen.getByRole('button', { name: /Diabetic retinopathy/ }));
    expect(screen.getByRole('radiogroup', { name: 'Diabetic retinopathy grade' }).querySelectorAll('[role=radio]')).toHaveLength(5);
  });

  it('refuses Enter while the required reason of "Other / ungradable" is empty, saying so; takes it once filled in', async () => {
    const reason = { id: 'reason', name: { en: 'Reason', ja: '理由' }, type: 'text' as const, required: true };
    const schema = openFundus((s) => ({ ...s, classes: s.classes.map((c) => (c.id === 'other' ? { ...c, attributes: [reason] } : c)) }));
    const onNext = vi.fn();
    const user = userEvent.setup();
    render(<ImageLabelPanel schema={schema} imageId="eye" annotatorId="dr-a" onNext={onNext} />);
    await user.click(screen.getByRole('button', { name: /Other \/ ungradable/ }));
    await user.click(screen.getByRole('button', { name: /Confirm/ }));
    expect(useSession.getState().message).toMatchObject({ text: 'Reason is required (label 1)', kind: 'error' });
    expect(onNext).not.toHaveBeenCalled();
    expect(useDocStore.getState().doc!.statuses.get(statusId('eye', 'dr-a'))?.state).toBe('in-progress');

    await user.type(screen.getByLabelText('Reason *'), 'cataract{Enter}');
    await user.click(screen.getByRole('button', { name: /Confirm/ }));
    expect(onNext).toHaveBeenCalledTimes(1);
    expect(useDocStore.getState().doc!.statuses.get(statusId('eye', 'dr-a'))?.state).toBe('done');
  });
});
