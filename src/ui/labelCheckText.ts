import type { ShapeGap } from '../model/labelChecks';
import type { LocalizedText } from '../model/types';
import { makeTextHook } from './i18n';

/**
 * Words for what a label must hold: the refused "Done", the export check, the import report, and which
 * classes take the grade.
 */
const en = {
  required: '{what} is required ({shape})',
  'shape.box': 'box {n}',
  'shape.polygon': 'polygon {n}',
  'shape.point': 'point {n}',
  'shape.line': 'length {n}',
  'shape.label': 'label {n}',
  more: '{message} (and {count} more)',
  exportCheckTitle: 'Labels lacking a required value: {count}. Export them as they are?',
  exportCheckImage: 'Image',
  exportCheckAnnotator: 'Annotator',
  exportCheckShape: 'Label',
  exportCheckMissing: 'Missing',
  exportCheckMore: 'and {count} more',
  exportAnyway: 'Export anyway',
  exportCancel: 'Cancel',
  exportCancelled: 'Export cancelled; nothing was written.',
  exportWriting: 'Writing… {percent}%',
  exportFailed: 'The export failed: {message}. Nothing was kept.',
  exportSavedTo: 'Saved to {name}.',
  exportSaveToFile: 'Choose where to save (written straight into the file)',
  gradeClasses: 'Classes that take the grade',
  importIncomplete: 'Imported, but these labels lack a required value: their images cannot be marked done until it is filled in.',
};

const ja: typeof en = {
  required: '{what}は必須です（{shape}）',
  'shape.box': 'ボックス {n}',
  'shape.polygon': 'ポリゴン {n}',
  'shape.point': '点 {n}',
  'shape.line': '長さ {n}',
  'shape.label': 'ラベル {n}',
  more: '{message}（ほか {count} 件）',
  exportCheckTitle: '必須項目が空のラベルが {count} 件あります。このままエクスポートしますか？',
  exportCheckImage: '画像',
  exportCheckAnnotator: 'アノテーター',
  exportCheckShape: 'ラベル',
  exportCheckMissing: '未入力',
  exportCheckMore: 'ほか {count} 件',
  exportAnyway: 'このままエクスポート',
  exportCancel: 'キャンセル',
  exportCancelled: 'エクスポートを取り消しました。何も書き出していません。',
  exportWriting: '書き出し中… {percent}%',
  exportFailed: 'エクスポートに失敗しました：{message}。何も残していません。',
  exportSavedTo: '{name} に保存しました。',
  exportSaveToFile: '保存先を選ぶ（ファイルに直接書き込み）',
  gradeClasses: 'グレードを付けるクラス',
  importIncomplete: '読み込みましたが、次のラベルは必須項目が空です。入力するまでその画像は完了にできません。',
};

export const useLabelCheckText = makeTextHook<keyof typeof en>({ en, ja });

type Text = ReturnType<typeof useLabelCheckText>;

/** The name of what a gap lacks: the attribute's or the grade's. */
export function gapWhat(gap: ShapeGap['gap'], loc: (t: LocalizedText) => string): string {
  return loc(gap.kind === 'attribute' ? gap.attribute.name : gap.grade.name);
}

export function shapeText(t: Text, shape: ShapeGap['shape']): string {
  return t(`shape.${shape.kind}`, { n: shape.n });
}

/** "Paris classification is required (box 2)", and how many more when there are several. */
export function gapMessage(t: Text, loc: (t: LocalizedText) => string, gaps: readonly ShapeGap[]): string {
  const first = gaps[0];
  const message = t('required', { what: gapWhat(first.gap, loc), shape: shapeText(t, first.shape) });
  return gaps.length > 1 ? t('more', { message, count: gaps.length - 1 }) : message;
}
