// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import { currentSchemaOf } from '../../store/actions';
import { useDocStore } from '../../store/docStore';
import { useSettings } from '../settingsStore';
import { SchemaEditor } from './SchemaEditor';

function openEndoscopyProject(withAnnotation: boolean) {
  const data = newProjectData({ name: 'Endo', template: 'endoscopy-lesions', now: '2026-01-01T00:00:00.000Z' });
  const pid = data.project.id;
  data.images.push({ id: 'im', projectId: pid, name: 'f.png', modality: 'endoscopy', source: { kind: 'image-url', url: 'f.png' }, width: 640, height: 480, order: 0, addedAt: 't' });
  data.annotators.push({ id: 'dr', projectId: pid, displayName: 'Dr' });
  if (withAnnotation) {
    data.annotations.push({ id: 'a1', projectId: pid, imageId: 'im', classId: 'cancer', attributes: {}, geometry: { type: 'box', x: 1, y: 1, w: 9, h: 9 }, annotatorId: 'dr', schemaId: data.schemas[0].id, schemaVersion: 1, createdAt: 't', updatedAt: 't' });
  }
  act(() => useDocStore.getState().open(data));
}

const schemaNow = () => currentSchemaOf(useDocStore.getState().doc!);

beforeEach(() => {
  useSettings.setState({ lang: 'en' });
});

describe('schema editor', () => {
  it('declares the classes a scale only when asked, and an annotated schema gets a new version for it', async () => {
    openEndoscopyProject(true);
    const user = userEvent.setup();
    render(<SchemaEditor />);
    expect(schemaNow().ordered).toBeUndefined();
    await user.click(screen.getByRole('checkbox', { name: 'The classes form a scale, in the order listed' }));
    expect(schemaNow()).toMatchObject({ ordered: true, version: 2 });
    await user.click(screen.getByRole('checkbox', { name: 'The classes form a scale, in the order listed' }));
    expect(schemaNow().ordered).toBeUndefined();
  });

  it('adds a class and renames it in one edit', async () => {
    openEndoscopyProject(false);
    const user = userEvent.setup();
    render(<SchemaEditor />);
    await user.click(screen.getByRole('button', { name: 'Add class' }));
    const group = screen.getByRole('group', { name: 'Class 4' });
    const input = within(group).getByLabelText('Name (English)');
    await user.clear(input);
    await user.type(input, 'Serrated lesion{Enter}');
    expect(schemaNow().classes.map((c) => c.name.en)).toEqual(['Polyp', 'Suspected cancer', 'Other lesion', 'Serrated lesion']);
    expect(schemaNow().classes[3]).toMatchObject({ hotkey: '4', color: expect.stringMatching(/^#[0-9a-f]{6}$/) });
    expect(schemaNow().version).toBe(1);
  });

  it('warns before deleting a class in use, and keeps the annotation under the old version', async () => {
    openEndoscopyProject(true);
    const user = userEvent.setup();
    render(<SchemaEditor />);
    await user.click(screen.getByRole('button', { name: 'Delete class: Suspected cancer' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('1 annotation uses what this change removes');
    expect(dialog.textContent).toContain('Class "cancer": 1 annotation');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(schemaNow().classes.map((c) => c.id)).toContain('cancer');

    await user.click(screen.getByRole('button', { name: 'Delete class: Suspected cancer' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Make the new version' }));
    expect(schemaNow()).toMatchObject({ version: 2 });
    expect(schemaNow().classes.map((c) => c.id)).toEqual(['polyp', 'other-lesion']);
    expect(useDocStore.getState().doc!.annotations.get('a1')).toMatchObject({ classId: 'cancer', schemaVersion: 1 });
  });

  it('refuses a duplicate hotkey and says where', async () => {
    openEndoscopyProject(false);
    const user = userEvent.setup();
    render(<SchemaEditor />);
    const hotkey = within(screen.getByRole('group', { name: 'Other lesion' })).getByLabelText('Hotkey');
    await user.clear(hotkey);
    await user.type(hotkey, '1{Enter}');
    expect(screen.getByRole('alert').textContent).toContain('classes[2].hotkey: hotkey "1" is already used by classes[0]');
    expect(schemaNow().classes[2].hotkey).toBe('3');
  });

  it('undoes a schema edit through the one history', async () => {
    openEndoscopyProject(false);
    const user = userEvent.setup();
    render(<SchemaEditor />);
    await user.click(screen.getByRole('button', { name: 'Add class' }));
    expect(schemaNow().classes).toHaveLength(4);
    act(() => useDocStore.getState().undo());
    expect(schemaNow().classes).toHaveLength(3);
  });

  it('says which classes take the grade: the fundus DR grade only diabetic retinopathy; ticking every class drops the list', async () => {
    act(() => useDocStore.getState().open(newProjectData({ name: 'Fundus', template: 'fundus-diagnosis', now: '2026-01-01T00:00:00.000Z' })));
    const user = userEvent.setup();
    render(<SchemaEditor />);
    const graded = screen.getByRole('group', { name: 'Classes that take the grade' });
    const ticked = () => within(graded).getAllByRole('checkbox').filter((b) => (b as HTMLInputElement).checked).map((b) => b.closest('label')!.textContent);
    expect(ticked()).toEqual(['Diabetic retinopathy']);
    await user.click(within(graded).getByRole('checkbox', { name: 'Normal' }));
    expect(schemaNow().grade!.classes).toEqual(['normal', 'diabetic-retinopathy']);
    for (const name of ['Glaucoma suspect', 'Age-related macular degeneration', 'Other / ungradable']) await user.click(within(graded).getByRole('checkbox', { name }));
    expect(schemaNow().grade).not.toHaveProperty('classes');
  });
});
