export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.tagName === 'TEXTAREA' || el.isContentEditable) return true;
  if (el.tagName === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(type);
  }
  return el.tagName === 'SELECT';
}

/** Every shortcut of the annotate view, for the help overlay (`?`). */
export const SHORTCUTS: { keys: string; en: string; ja: string; scope: 'all' | 'draw' | 'image' | 'series' }[] = [
  { keys: '?', en: 'Show or hide this help', ja: 'このヘルプを表示／非表示', scope: 'all' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y', en: 'Undo / redo', ja: '元に戻す／やり直す', scope: 'all' },
  { keys: 'PageDown or .', en: 'Next image', ja: '次の画像', scope: 'all' },
  { keys: 'PageUp or ,', en: 'Previous image', ja: '前の画像', scope: 'all' },
  { keys: 'D', en: 'Mark image done', ja: '画像を完了にする', scope: 'draw' },
  { keys: 'X', en: 'Mark image "no lesion" (looked at, nothing found)', ja: '「病変なし」にする（確認済み・所見なし）', scope: 'draw' },
  { keys: '1–9', en: 'Choose class (its hotkey)', ja: 'クラスを選択（ホットキー）', scope: 'all' },
  { keys: 'V', en: 'Select / edit tool (Shift-click adds to selection)', ja: '選択・編集ツール（Shift+クリックで追加選択）', scope: 'draw' },
  { keys: 'H', en: 'Pan tool', ja: 'パンツール', scope: 'draw' },
  { keys: 'P', en: 'Polygon tool: click vertices, Enter or double-click closes, Backspace removes the last vertex, Esc cancels', ja: 'ポリゴン：クリックで頂点、Enter/ダブルクリックで閉じる、Backspaceで直前の頂点を削除、Escで取消', scope: 'draw' },
  { keys: 'F', en: 'Freehand polygon: drag around the object', ja: 'フリーハンド：ドラッグで囲む', scope: 'draw' },
  { keys: 'B', en: 'Box tool: drag a box', ja: 'ボックス：ドラッグで囲む', scope: 'draw' },
  { keys: 'O', en: 'Point tool', ja: 'ポイントツール', scope: 'draw' },
  { keys: 'L', en: 'Measure length: drag from one end to the other (Shift: horizontal or vertical); mm on CT/MR, µm on slides', ja: '長さを測る：端から端へドラッグ（Shift で水平・垂直）、CT/MR は mm、スライドは µm', scope: 'draw' },
  { keys: 'C', en: 'Continuous mode on/off (tool stays ready after each shape)', ja: '連続モードの切替（保存後もツールを継続）', scope: 'draw' },
  { keys: 'Delete', en: 'Delete selected shapes (or the vertex under the pointer while editing)', ja: '選択した図形を削除（編集中はポインタ下の頂点）', scope: 'draw' },
  { keys: 'Esc', en: 'Cancel drawing / clear selection', ja: '描画の取消／選択解除', scope: 'draw' },
  { keys: 'R / Shift+R', en: 'Rotate 90° clockwise / anticlockwise', ja: '90°回転（時計回り／反時計回り）', scope: 'all' },
  { keys: '+ / − / 0', en: 'Zoom in / out / whole image', ja: '拡大／縮小／全体表示', scope: 'all' },
  { keys: '0–9 (after a class)', en: 'Choose the grade, for a class that takes one', ja: 'グレードを選択（グレードのあるクラスの場合）', scope: 'image' },
  { keys: 'U', en: 'Uncertain on/off', ja: '不確実の切替', scope: 'image' },
  { keys: 'N', en: 'Write a note (Enter adds a line)', ja: 'メモを書く（Enter で改行）', scope: 'image' },
  { keys: 'Ctrl+Enter / Esc (in the note)', en: 'Save the note and return to the keys', ja: 'メモを保存してキー操作に戻る', scope: 'image' },
  { keys: 'Enter', en: 'Confirm and go to the next image', ja: '確定して次の画像へ', scope: 'image' },
  { keys: 'Wheel or ↑ / ↓', en: 'Previous / next slice', ja: '前／次のスライス', scope: 'series' },
  { keys: 'Home / End', en: 'First / last slice', ja: '最初／最後のスライス', scope: 'series' },
  { keys: 'Right-drag', en: 'Window: right widens, down raises the centre', ja: 'ウィンドウ：右で幅を広く、下で中心を上げる', scope: 'series' },
  { keys: 'Ctrl+wheel', en: 'Zoom', ja: '拡大縮小', scope: 'series' },
];
