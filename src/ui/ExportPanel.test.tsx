// @vitest-environment jsdom
// The Export tab lists labels that lack a required value before anything is written; the user goes on or cancels.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addAnnotations, addImages, ensureAnnotator } from '../store/actions';
import { useDocStore } from '../store/docStore';
import { createProject, flushSaves, initWorkspace, openProject } from '../store/workspace';
import { ExportPanel } from './ExportPanel';
import { useSettings } from './settingsStore';

const downloads = vi.hoisted(() => [] as string[]);
vi.mock('./download', async (original) => ({
  ...(await original<typeof import('./download')>()),
  downloadText: (name: string) => downloads.push(name),
  downloadBlob: (name: string) => downloads.push(name),
}));

const box = (x: number) => ({ type: 'box' as const, x, y: 20, w: 60, h: 50 });

beforeAll(async () => {
  await initWorkspace({ dbName: 'granula-export-check-test' });
});

beforeEach(async () => {
  downloads.length = 0;
  useSettings.setState({ lang: 'en' });
  vi.useFakeTimers({ toFake: ['Date'] });
  const created = await createProject('Colon', 'endoscopy-lesions');
  await openProject(created.project.id);
  act(() => {
    const [frame] = addImages([{ name: 'frame-7.png', modality: 'endoscopy', source: { kind: 'image-url', url: 'f.png' }, width: 640, height: 480 }]);
    ensureAnnotator({ id: 'dr-a', displayName: 'Dr A' });
    vi.setSystemTime(Date.parse('2026-03-01T09:00:00Z'));
    addAnnotations([{ imageId: frame.id, annotatorId: 'dr-a', classId: 'polyp', attributes: { paris: '0-Is' }, geometry: box(10) }]);
    vi.setSystemTime(Date.parse('2026-03-01T09:00:05Z'));
    addAnnotations([{ imageId: frame.id, annotatorId: 'dr-a', classId: 'polyp', attributes: { nice: '2' }, geometry: box(200) }]);
  });
  vi.useRealTimers();
  await flushSaves();
});

afterEach(() => vi.useRealTimers());

const exportLog = () => useDocStore.getState().doc!.project.exportLog;

describe('export check for labels lacking a required value', () => {
  it('lists the box without its Paris classification (image, annotator, shape, attribute) and writes nothing when cancelled', async () => {
    const user = userEvent.setup();
    render(<ExportPanel />);
    await user.click(screen.getByRole('button', { name: 'Export' }));
    const check = await screen.findByRole('alertdialog');
    expect(within(check).getByText('Labels lacking a required value: 1. Export them as they are?')).toBeTruthy();
    const rows = within(check).getAllByTestId('export-check-row').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([['frame-7.png', 'Dr A', 'box 2', 'Paris classification']]);
    await user.click(within(check).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(downloads).toEqual([]);
    expect(exportLog()).toEqual([]);
  });

  it('writes the file and logs the export when the user goes on', async () => {
    const user = userEvent.setup();
    render(<ExportPanel />);
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Export anyway' }));
    expect(downloads).toEqual(['Colon.granula.json']);
    expect(exportLog()).toEqual([expect.objectContaining({ format: 'shared', images: 1, annotations: 2 })]);
    const trail = [...useDocStore.getState().doc!.audit.values()].filter((e) => e.action === 'export');
    expect(trail.map((e) => e.detail)).toEqual(['shared: 1 image, 2 annotations, 1 label lacking a required value']);
  });
});
