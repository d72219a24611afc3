import { beforeEach, describe, expect, it } from 'vitest';
import { newProjectData } from '../model/projectFactory';
import { useAssist } from './assistStore';
import { useDocStore } from './docStore';

const square = (x: number) => ({ type: 'polygon' as const, points: [x, 0, x + 10, 0, x + 10, 10, x, 10] });

beforeEach(() => {
  const data = newProjectData({ name: 'p', template: 'pathology-cells', now: 't' });
  data.images.push({ id: 'slide', projectId: data.project.id, name: 's', modality: 'pathology-wsi', source: { kind: 'synthetic', seed: 1 }, width: 1000, height: 1000, order: 0, addedAt: 't' });
  useDocStore.getState().open(data);
  useAssist.getState().clear();
  useAssist.getState().setSuggestions([0, 20, 40].map((x, i) => ({ id: `s${i}`, imageId: 'slide', classId: 'tumor-cell', geometry: square(x), selected: false })));
});

const annotations = () => [...useDocStore.getState().doc!.annotations.values()];

describe('assistant suggestions', () => {
  it('are not annotations until accepted, and record who accepted them', () => {
    expect(annotations()).toHaveLength(0);
    useAssist.getState().accept(['s1'], 'dr-p');
    expect(annotations()).toEqual([expect.objectContaining({ classId: 'tumor-cell', geometry: square(20), provenance: { kind: 'assistant', acceptedBy: 'dr-p' } })]);
    expect(useAssist.getState().suggestions.map((s) => s.id)).toEqual(['s0', 's2']);
  });

  it('are dropped when rejected, leaving nothing to export', () => {
    useAssist.getState().reject(['s0', 's2']);
    useAssist.getState().accept(['s0'], 'dr-p');
    expect(annotations()).toHaveLength(0);
    expect(useAssist.getState().suggestions.map((s) => s.id)).toEqual(['s1']);
  });

  it('can be reclassified in bulk, then accepted all at once as one undo step', () => {
    useAssist.getState().toggleSelected('s0');
    useAssist.getState().toggleSelected('s2');
    expect(useAssist.getState().reclassify('lymphocyte')).toBe(2);
    useAssist.getState().accept(['s0', 's1', 's2'], 'dr-p');
    expect(annotations().map((a) => a.classId).sort()).toEqual(['lymphocyte', 'lymphocyte', 'tumor-cell']);
    useDocStore.getState().undo();
    expect(annotations()).toHaveLength(0);
  });
});

describe('never outlining a nucleus twice', () => {
  it('Accept all skips a suggestion that repeats an existing outline (IoU ≥ 0.5) and one repeated within the batch', () => {
    // An existing outline over s1's square shifted by 2 px: IoU = (8·10)/(2·100 − 80) = 2/3 ≥ 0.5.
    useAssist.getState().accept(['s0'], 'dr-p');
    useAssist.setState({ suggestions: [...useAssist.getState().suggestions, { id: 'dup', imageId: 'slide', classId: 'tumor-cell', geometry: square(2), selected: false }] });
    // The batch also holds s2 twice over: square(41) against square(40) has IoU (9·10)/(200 − 90) = 0.82.
    useAssist.setState({ suggestions: [...useAssist.getState().suggestions, { id: 'again', imageId: 'slide', classId: 'tumor-cell', geometry: square(41), selected: false }] });
    const n = useAssist.getState().accept(useAssist.getState().suggestions.map((s) => s.id), 'dr-p');
    expect(n).toBe(2);
    expect(annotations().map((a) => JSON.stringify(a.geometry)).sort()).toEqual([square(0), square(20), square(40)].map((g) => JSON.stringify(g)).sort());
    expect(useAssist.getState().suggestions).toEqual([]);
  });

  it('keeps a suggestion that only touches an existing outline (IoU below 0.5)', () => {
    useAssist.getState().accept(['s0'], 'dr-p');
    // square(6) against square(0): IoU = (4·10)/(200 − 40) = 0.25.
    useAssist.setState({ suggestions: [{ id: 'near', imageId: 'slide', classId: 'tumor-cell', geometry: square(6), selected: false }] });
    expect(useAssist.getState().accept(['near'], 'dr-p')).toBe(1);
    expect(annotations()).toHaveLength(2);
  });
});
