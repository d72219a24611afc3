// @vitest-environment jsdom
// The note of a diagnosis label: Enter adds a line, a visible hint says how to save it, Ctrl+Enter saves.
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import { currentSchemaOf } from '../../store/actions';
import { useDocStore } from '../../store/docStore';
import { myImageLabels } from '../../store/selectors';
import { useSettings } from '../settingsStore';
import { ImageLabelPanel } from './ImageLabelPanel';

function openFundus() {
  const data = newProjectData({ name: 'Eyes', template: 'fundus-diagnosis', now: '2026-01-01T00:00:00.000Z' });
  const pid = data.project.id;
  data.images.push({ id: 'ph', projectId: pid, name: 'p.png', modality: 'fundus', source: { kind: 'image-url', url: 'p.png' }, width: 800, height: 800, order: 0, addedAt: 't' });
  data.annotators.push({ id: 'dr', projectId: pid, displayName: 'Dr' });
  data.annotations.push({ id: 'l1', projectId: pid, imageId: 'ph', classId: 'glaucoma-suspect', attributes: {}, geometry: null, annotatorId: 'dr', schemaId: data.schemas[0].id, schemaVersion: 1, createdAt: 't', updatedAt: 't' });
  act(() => useDocStore.getState().open(data));
  return currentSchemaOf(useDocStore.getState().doc!);
}

const note = () => myImageLabels(useDocStore.getState().doc!, 'ph', 'dr')[0].note;

beforeEach(() => {
  useSettings.setState({ lang: 'en' });
});

describe('the note of a diagnosis label', () => {
  it('shows how to save it beside the field, in each language', () => {
    const schema = openFundus();
    render(<ImageLabelPanel schema={schema} imageId="ph" annotatorId="dr" onNext={() => {}} />);
    const field = screen.getByRole('textbox', { name: /Note/ });
    const hint = document.getElementById(field.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe('Enter adds a line · Ctrl+Enter saves the note');
    act(() => useSettings.setState({ lang: 'ja' }));
    expect(hint?.textContent).toBe('Enter で改行・Ctrl+Enter でメモを保存');
  });

  it('Enter adds a line; Ctrl+Enter saves the note and hands the keys back (Enter then confirms)', async () => {
    const schema = openFundus();
    let next = 0;
    const user = userEvent.setup();
    render(<ImageLabelPanel schema={schema} imageId="ph" annotatorId="dr" onNext={() => next++} />);
    const field = screen.getByRole('textbox', { name: /Note/ });
    await user.click(field);
    await user.keyboard('cup-to-disc 0.7{Enter}recheck');
    expect(next).toBe(0);
    expect(note()).toBeUndefined();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(note()).toBe('cup-to-disc 0.7\nrecheck');
    expect(document.activeElement).not.toBe(field);
    await user.keyboard('{Enter}');
    expect(next).toBe(1);
  });
});
