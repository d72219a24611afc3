// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../storage/repository';
import { updateProject } from '../store/actions';
import { useDocStore } from '../store/docStore';
import { createProject, flushSaves, initWorkspace, openProject, workspaceDb } from '../store/workspace';
import { CommitInput, CommitTextarea } from './CommitInput';
import { SaveIndicator } from './SaveIndicator';
import { useSettings } from './settingsStore';
import { useDoc } from './useDoc';

function DescriptionField({ multiline = false }: { multiline?: boolean }) {
  const description = useDoc()?.project.description ?? '';
  const commit = (d: string) => updateProject({ description: d });
  return multiline ? <CommitTextarea aria-label="Description" value={description} onCommit={commit} /> : <CommitInput aria-label="Description" value={description} onCommit={commit} />;
}

const stored = async () => (await loadProject(workspaceDb()!, useDocStore.getState().doc!.project.id))!.project.description;
const indicator = () => screen.getByTestId('save-status');

beforeAll(async () => {
  useSettings.setState({ lang: 'en' });
  await initWorkspace({ dbName: 'granula-commit-input-test', channelName: 'granula-commit-input-test' });
  const created = await createProject('Typing', 'endoscopy-lesions');
  await openProject(created.project.id);
});

describe('text typed in a field is an edit', () => {
  it('while it is not committed the indicator says so, never "All changes saved"', async () => {
    const user = userEvent.setup();
    render(
      <>
        <SaveIndicator />
        <DescriptionField />
      </>,
    );
    expect(indicator().dataset.state).toBe('saved');
    const field = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(field);
    await user.type(field, 'two readers');
    expect(indicator().dataset.state).toBe('typing');
    expect(indicator().textContent).toBe('Typing… not saved yet');
    expect(useDocStore.getState().doc!.project.description).not.toBe('two readers');
    await user.keyboard('{Enter}');
    expect(useDocStore.getState().doc!.project.description).toBe('two readers');
    await act(() => flushSaves());
    expect(indicator().dataset.state).toBe('saved');
  });

  it('is committed and written when the page is hidden for good (pagehide), before the last write', async () => {
    const user = userEvent.setup();
    render(
      <>
        <SaveIndicator />
        <DescriptionField />
      </>,
    );
    const field = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(field);
    await user.type(field, 'closed mid-word');
    expect(useDocStore.getState().doc!.project.description).not.toBe('closed mid-word');
    act(() => {
      window.dispatchEvent(new Event('pagehide'));
    });
    expect(useDocStore.getState().doc!.project.description).toBe('closed mid-word');
    await act(() => flushSaves());
    expect(await stored()).toBe('closed mid-word');
    expect(indicator().dataset.state).toBe('saved');
  });

  it('is committed when the tab is hidden (visibilitychange)', async () => {
    const user = userEvent.setup();
    render(<DescriptionField multiline />);
    const field = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(field);
    await user.type(field, 'line one{Enter}line two');
    const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState');
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      act(() => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
    } finally {
      delete (document as unknown as Record<string, unknown>).visibilityState;
      if (visibility) expect(document.visibilityState).toBe('visible');
    }
    expect(useDocStore.getState().doc!.project.description).toBe('line one\nline two');
    await act(() => flushSaves());
    expect(await stored()).toBe('line one\nline two');
  });

  it('several lines: Enter adds a line, Ctrl+Enter commits them as one edit', async () => {
    const user = userEvent.setup();
    render(<DescriptionField multiline />);
    const field = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(field);
    await user.type(field, 'first{Enter}second');
    expect(useDocStore.getState().doc!.project.description).not.toBe('first\nsecond');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(useDocStore.getState().doc!.project.description).toBe('first\nsecond');
    expect((field as HTMLTextAreaElement).value).toBe('first\nsecond');
  });
});
