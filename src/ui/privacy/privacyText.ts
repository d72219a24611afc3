import { useSettings, type Lang } from '../settingsStore';

/** The privacy and backup screens' words, in English and Japanese (kept apart from i18n.ts). */
const en = {
  patient: 'Patient',
  noPatient: 'no patient ID',
  notPseudonym: 'not a pseudonym: this may be a clear identifier; enter the patient ID again to replace it',
  setPatientId: 'Patient ID…',
  patientIdFor: 'Patient ID for {name}',
  patientIdHint: 'Typed IDs are replaced at once by a pseudonym; the ID itself is never stored.',
  pseudonymise: 'Pseudonymise',
  cancel: 'Cancel',
  emptyId: 'Type a patient ID first.',
  privacy: 'Privacy',
  optOutTitle: 'Patients who declined secondary use (opt-out)',
  optOutCount: '{patients} patients on the list; {images} images of theirs in this project are left out of every export.',
  optOutInput: 'Patient IDs who declined (one per line, or pasted from a spreadsheet column)',
  optOutAdd: 'Add to the opt-out list',
  optOutAdded: 'Added {added} (already on the list: {already}). The IDs were pseudonymised and not stored.',
  optOutRemove: 'Take off the list: {key}',
  remove: 'Remove',
  linkTitle: 'Link images to patients from a list',
  linkInput: 'One line per image: image name, then a tab or comma, then the patient ID',
  linkApply: 'Pseudonymise and link',
  linkDone: 'Linked {linked} images; not found: {missing}.',
  keyTitle: 'Pseudonym key of this project',
  keyNone: 'No key yet: one is made in this browser when the first patient ID is entered.',
  keyFingerprint: 'Key fingerprint: {fingerprint}',
  keyMissingWarning: 'Images here carry pseudonyms, but this browser has no key for this project (e.g. after a restore). Import the key file you downloaded, or the same patient ID will get a different pseudonym.',
  keyDownload: 'Download key…',
  keyDownloadWarning: 'Anyone holding this key and a list of patient IDs can tell which pseudonym belongs to which patient. Keep the file apart from exported data, e.g. with the hospital’s ID list.',
  keyDownloadConfirm: 'Download the key',
  keyImport: 'Import a key file…',
  keyImportWarning: 'Pseudonyms already in this project were made with another key ({current}). After importing ({incoming}), the same patient ID will give a different pseudonym unless this is the key they were made with.',
  keyImportOtherProject: 'This key file was made for another project ({project}). Using one key in two projects links their patients.',
  keyImportConfirm: 'Use this key',
  keyImported: 'Key imported: {fingerprint}.',
  keyFileProblem: 'The key file {message}.',
  backupTitle: 'Backup of all projects',
  backupHint: 'One file with every project in this browser, its labels and its image files. Pseudonym keys are not in it: download them apart.',
  backupDownload: 'Download backup of all projects',
  backupMade: 'Backed up {projects} projects, {images} images, {annotations} annotations, {files} files. Hash: {hash}',
  restore: 'Restore from a backup…',
  restoreCheck: 'This backup holds {projects} projects ({images} images, {annotations} annotations). {replaced} of them exist here and will be replaced by the backed-up copy.',
  restoreConfirm: 'Restore',
  restoreDone: 'Restored {projects} projects. Hash of the stored data: {hash}',
  restoreVerified: 'It equals the backup’s: the same data came back.',
  restoreNotVerified: 'It differs from the backup’s: check the restored projects.',
  restoreFailed: 'Restore refused; nothing was changed. Problems:',
  working: 'Working…',
};

type Key = keyof typeof en;

const ja: Record<Key, string> = {
  patient: '患者',
  noPatient: '患者IDなし',
  notPseudonym: '仮名ではありません（実IDの可能性）。患者IDを入力し直すと置き換わります',
  setPatientId: '患者ID…',
  patientIdFor: '{name} の患者ID',
  patientIdHint: '入力したIDはすぐに仮名に置き換わり、ID自体は保存されません。',
  pseudonymise: '仮名化',
  cancel: 'キャンセル',
  emptyId: '患者IDを入力してください。',
  privacy: 'プライバシー',
  optOutTitle: '二次利用を拒否した患者（オプトアウト）',
  optOutCount: '一覧の患者 {patients} 人。このプロジェクトの該当画像 {images} 件はすべてのエクスポートから除外されます。',
  optOutInput: '拒否した患者のID（1行に1件。表計算ソフトの列を貼り付けても可）',
  optOutAdd: 'オプトアウト一覧に追加',
  optOutAdded: '{added} 件追加しました（登録済み {already} 件）。IDは仮名化され、保存されていません。',
  optOutRemove: '一覧から外す：{key}',
  remove: '外す',
  linkTitle: '一覧から画像と患者を紐付ける',
  linkInput: '1行に1画像：画像名、タブまたはカンマ、患者ID',
  linkApply: '仮名化して紐付け',
  linkDone: '{linked} 件の画像を紐付けました。見つからない画像：{missing}',
  keyTitle: 'このプロジェクトの仮名化キー',
  keyNone: 'キーはまだありません。最初の患者IDを入力したときにこのブラウザで作られます。',
  keyFingerprint: 'キーの指紋：{fingerprint}',
  keyMissingWarning: 'このプロジェクトの画像には仮名がありますが、このブラウザにはキーがありません（復元後など）。保存したキーファイルを読み込んでください。読み込まないと同じ患者IDでも別の仮名になります。',
  keyDownload: 'キーをダウンロード…',
  keyDownloadWarning: 'このキーと患者IDの一覧があれば、どの仮名がどの患者かが分かります。エクスポートしたデータとは別の場所（病院のID一覧と同じ管理下など）に保管してください。',
  keyDownloadConfirm: 'キーをダウンロードする',
  keyImport: 'キーファイルを読み込む…',
  keyImportWarning: 'このプロジェクトの仮名は別のキー（{current}）で作られています。読み込むと（{incoming}）、同じ患者IDでも別の仮名になります（仮名を作ったキーである場合を除く）。',
  keyImportOtherProject: 'このキーファイルは別のプロジェクト（{project}）用です。1つのキーを2つのプロジェクトで使うと、両者の患者が紐付きます。',
  keyImportConfirm: 'このキーを使う',
  keyImported: 'キーを読み込みました：{fingerprint}',
  keyFileProblem: 'キーファイル：{message}',
  backupTitle: '全プロジェクトのバックアップ',
  backupHint: 'このブラウザのすべてのプロジェクト、ラベル、画像ファイルを1つのファイルにします。仮名化キーは含まれません。別にダウンロードしてください。',
  backupDownload: '全プロジェクトのバックアップをダウンロード',
  backupMade: '{projects} プロジェクト、画像 {images} 件、アノテーション {annotations} 件、ファイル {files} 件をバックアップしました。ハッシュ：{hash}',
  restore: 'バックアップから復元…',
  restoreCheck: 'このバックアップには {projects} プロジェクト（画像 {images} 件、アノテーション {annotations} 件）があります。そのうち {replaced} 件はここにあり、バックアップの内容で置き換わります。',
  restoreConfirm: '復元',
  restoreDone: '{projects} プロジェクトを復元しました。保存されたデータのハッシュ：{hash}',
  restoreVerified: 'バックアップのハッシュと一致しました。同じデータが戻りました。',
  restoreNotVerified: 'バックアップのハッシュと一致しません。復元したプロジェクトを確認してください。',
  restoreFailed: '復元を中止しました。何も変更されていません。問題：',
  working: '処理中…',
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, ja };

export type PrivacyT = (key: Key, vars?: Record<string, string | number>) => string;

export function privacyText(lang: Lang, key: Key, vars?: Record<string, string | number>): string {
  let s = dictionaries[lang][key] ?? en[key];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

export function usePrivacyText(): PrivacyT {
  const lang = useSettings((s) => s.lang);
  return (key, vars) => privacyText(lang, key, vars);
}
