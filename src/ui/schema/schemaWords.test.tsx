// @vitest-environment jsdom
// What the schema editor says: versions counted in words, the version annotations were made under,
// class headings in the page's language, and class ids that mean something.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { newProjectData } from '../../model/projectFactory';
import { currentSchemaOf } from '../../store/actions';
import { useDocStore } from '../../store/docStore';
import { useSettings } from '../settingsStore';
import { SchemaEditor } from './SchemaEditor';

/** An endoscopy project; `v2` adds a second schema version (nothing annotated under it yet). */
function openProject({ annotatedClass, v2 = false }: { annotatedClass?: string; v2?: boolean } = {}) {
  const data = newProjectData({ name: 'Endo', template: 'endoscopy-lesions', now: '2026-01-01T00:00:00.000Z' });
  const pid = data.project.id;
  data.images.push({ id: 'im', projectId: pid, name: 'f.png', modality: 'endoscopy', source: { kind: 'image-url', url: 'f.png' }, width: 640, height: 480, order: 0, addedAt: 't' });
  data.annotators.push({ id: 'dr', projectId: pid, displayName: 'Dr' });
  if (annotatedClass) {
    data.annotations.push({ id: 'a1', projectId: pid, imageId: 'im', classId: annotatedClass, attributes: {}, geometry: { type: 'box', x: 1, y: 1, w: 9, h: 9 }, annotatorId: 'dr', schemaId: data.schemas[0].id, schemaVersion: 1, createdAt: 't', updatedAt: 't' });
  }
  if (v2) data.schemas.push({ ...data.schemas[0], version: 2, createdAt: '2026-02-01T00:00:00.000Z' });
  act(() => useDocStore.getState().open(data));
}

const schemaNow = () => currentSchemaOf(useDocStore.getState().doc!);
const classIds = () => schemaNow().classes.map((c) => c.id);

beforeEach(() => {
  useSettings.setState({ lang: 'en' });
});

describe('schema editor words', () => {
  it('counts the versions in words, in each language', () => {
    openProject({ annotatedClass: 'polyp', v2: true });
    render(<SchemaEditor />);
    expect(screen.getByTestId('schema-version').textContent).toContain('Version 2 (2 versions)');
    act(() => useSettings.setState({ lang: 'ja' }));
    expect(screen.getByTestId('schema-version').textContent).toContain('バージョン 2（全 2 版）');
  });

  it('says a single version without a count', () => {
    openProject();
    render(<SchemaEditor />);
    expect(screen.getByTestId('schema-version').textContent).toMatch(/^Version 1 — /);
  });

  it('deleting a class says the annotations keep the version they were made under, not the current one', async () => {
    openProject({ annotatedClass: 'cancer', v2: true });
    const user = userEvent.setup();
    render(<SchemaEditor />);
    await user.click(screen.getByRole('button', { name: 'Delete class: Suspected cancer' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('1 annotation uses what this change removes. It is not deleted and keeps the schema version it was made under (version 1)');
    expect(dialog.textContent).not.toContain('version 2');
    expect(dialog.textContent).toContain('Class "cancer": 1 annotation');
    expect(dialog.textContent).not.toContain('1 annotations');
    act(() => useSettings.setState({ lang: 'ja' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('作成時のスキーマ（バージョン 1）');
  });

  it('shows class headings (and the buttons named after them) in Japanese when the page is in Japanese', () => {
    useSettings.setState({ lang: 'ja' });
    openProject();
    render(<SchemaEditor />);
    const groups = screen.getAllByTestId('class-editor').map((g) => g.getAttribute('aria-label'));
    expect(groups).toEqual(['ポリープ', '癌疑い', 'その他の病変']);
    expect(within(screen.getByRole('group', { name: 'ポリープ' })).getByText('ポリープ', { selector: 'legend *, legend' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'クラスを削除: 癌疑い' })).toBeTruthy();
  });

  it('gives a new class an id made from its English name, explained, and following renames until it is used', async () => {
    openProject();
    const user = userEvent.setup();
    render(<SchemaEditor />);
    await user.click(screen.getByRole('button', { name: 'Add class' }));
    const added = screen.getByRole('group', { name: 'Class 4' });
    const id = within(added).getByRole('textbox', { name: 'Class id' });
    expect((id as HTMLInputElement).value).toBe('class-4');
    expect(classIds()[3]).toBe('class-4');
    const hint = document.getElementById(id.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toContain('follows the English name until annotations use the class');

    const en = within(added).getByLabelText('Name (English)');
    await user.clear(en);
    await user.type(en, 'Serrated lesion{Enter}');
    expect(classIds()[3]).toBe('serrated-lesion');
    expect((within(screen.getByRole('group', { name: 'Serrated lesion' })).getByRole('textbox', { name: 'Class id' }) as HTMLInputElement).value).toBe('serrated-lesion');

    // An id the user chose is kept when the name changes.
    const serrated = screen.getByRole('group', { name: 'Serrated lesion' });
    const ownId = within(serrated).getByRole('textbox', { name: 'Class id' });
    await user.clear(ownId);
    await user.type(ownId, 'ssl{Enter}');
    const en2 = within(screen.getByRole('group', { name: 'Serrated lesion' })).getByLabelText('Name (English)');
    await user.clear(en2);
    await user.type(en2, 'Sessile serrated lesion{Enter}');
    expect(classIds()[3]).toBe('ssl');
  });

  it('keeps the id of a class in use when it is renamed (its id matches its name, but annotations use it)', async () => {
    openProject({ annotatedClass: 'polyp' });
    const user = userEvent.setup();
    render(<SchemaEditor />);
    const [en] = within(screen.getByRole('group', { name: 'Polyp' })).getAllByLabelText('Name (English)');
    await user.clear(en);
    await user.type(en, 'Colorectal polyp{Enter}');
    expect(schemaNow().classes[0]).toMatchObject({ id: 'polyp', name: { en: 'Colorectal polyp' } });
    const id = within(screen.getByRole('group', { name: 'Colorectal polyp' })).getByRole('textbox', { name: 'Class id' });
    expect(document.getElementById(id.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Used in exports. Fixed: annotations use this class.');
  });

  it('adds a random suffix to a name-made id only when another class has it already', async () => {
    openProject();
    const user = userEvent.setup();
    render(<SchemaEditor />);
    await user.click(screen.getByRole('button', { name: 'Add class' }));
    await user.click(screen.getByRole('button', { name: 'Add class' }));
    expect(classIds().slice(3)).toEqual(['class-4', 'class-5']);
    const en = within(screen.getByRole('group', { name: 'Class 5' })).getByLabelText('Name (English)');
    await user.clear(en);
    await user.type(en, 'Class 4{Enter}');
    expect(classIds()[3]).toBe('class-4');
    expect(classIds()[4]).toMatch(/^class-4-[a-z0-9]{4}$/);
  });
});
