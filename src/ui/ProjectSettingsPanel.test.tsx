// @vitest-environment jsdom
// The project's stains, set in the settings panel, are stored with the project and survive a reload.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../storage/repository';
import { useDocStore } from '../store/docStore';
import { createProject, flushSaves, initWorkspace, openProject, workspaceDb } from '../store/workspace';
import { ProjectSettingsPanel } from './ProjectSettingsPanel';
import { useSettings } from './settingsStore';

beforeAll(async () => {
  useSettings.setState({ lang: 'en' });
  await initWorkspace({ dbName: 'granula-project-settings-test', channelName: 'granula-project-settings-test' });
  const created = await createProject('IHC study', 'pathology-cells');
  await openProject(created.project.id);
});

describe('project settings: stains for the nucleus assistant', () => {
  it('starts estimated from each image, and stores IHC when chosen', async () => {
    const user = userEvent.setup();
    render(<ProjectSettingsPanel />);
    const select = screen.getByLabelText('Stains (for the nucleus assistant)');
    expect((select as HTMLSelectElement).value).toBe('auto');
    await user.selectOptions(select, 'IHC: haematoxylin and DAB');
    expect(useDocStore.getState().doc!.project.stain).toBe('hdab');
    await flushSaves();
    const id = useDocStore.getState().doc!.project.id;
    expect((await loadProject(workspaceDb()!, id))!.project.stain).toBe('hdab');
  });
});
