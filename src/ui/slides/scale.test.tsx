// @vitest-environment jsdom
// Entering a scale: one image in place, or every image without one at once (a batch scanned at one
// magnification); one undo takes the batch back; a bad number is refused, saying what is expected.
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import type { ImageRecord } from '../../model/types';
import { useDocStore } from '../../store/docStore';
import { useSettings } from '../settingsStore';
import { BulkScale, ScaleField } from './WorklistSlides';

function open(): void {
  const data = newProjectData({ name: 'Slides', template: 'pathology-cells', now: '2026-01-01T00:00:00.000Z' });
  const image = (id: string, mpp?: number): ImageRecord => ({ id, projectId: data.project.id, name: `${id}.dzi`, modality: 'pathology-wsi', source: { kind: 'dzi', url: `https://tiles.example/${id}.dzi` }, width: 4000, height: 3000, order: 0, addedAt: 't', ...(mpp ? { mpp } : {}) });
  data.images.push(image('a'), image('b', 0.252), image('c'));
  act(() => useDocStore.getState().open(data));
}
const mpp = (id: string) => useDocStore.getState().doc!.images.get(id)!.mpp;
const images = () => [...useDocStore.getState().doc!.images.values()];

beforeEach(() => {
  useSettings.setState({ lang: 'en' });
  open();
});

describe('scale of images without one', () => {
  it('sets every image that has none in one step, leaves the others, and one undo takes it back', async () => {
    const user = userEvent.setup();
    let said = '';
    render(<BulkScale images={images()} onDone={(t) => (said = t)} />);
    await user.type(screen.getByLabelText('µm/pixel for every image without one'), '0.5');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect([mpp('a'), mpp('b'), mpp('c')]).toEqual([0.5, 0.252, 0.5]);
    expect(said).toBe('Scale set on 2 images.');
    act(() => useDocStore.getState().undo());
    expect([mpp('a'), mpp('b'), mpp('c')]).toEqual([undefined, 0.252, undefined]);
  });

  it('refuses what is not a positive number, saying what to enter, and changes nothing', async () => {
    const user = userEvent.setup();
    render(<BulkScale images={images()} onDone={() => {}} />);
    await user.type(screen.getByLabelText('µm/pixel for every image without one'), '-1');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByText(/Enter µm per pixel as a positive number/)).toBeTruthy();
    expect([mpp('a'), mpp('c')]).toEqual([undefined, undefined]);
  });

  it('edits one image in place, taking a decimal comma', async () => {
    const user = userEvent.setup();
    render(<ScaleField image={useDocStore.getState().doc!.images.get('a')!} editable />);
    await user.click(screen.getByRole('button', { name: 'Set µm/pixel: a.dzi' }));
    await user.type(screen.getByLabelText('µm per pixel of a.dzi'), '0,25');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(mpp('a')).toBe(0.25);
  });
});
