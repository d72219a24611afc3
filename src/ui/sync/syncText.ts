import { useSettings, type Lang } from '../settingsStore';
import { fillTemplate } from '../i18n';

const en = {
  server: 'Server',
  serverHint: 'Sync this project live with a CouchDB server: work goes on offline and meets the others’ when the server is reachable. During the blind phase your browser receives nobody else’s labels.',
  url: 'Server address',
  user: 'User name',
  password: 'Password',
  connect: 'Connect',
  connecting: 'Connecting…',
  disconnect: 'Disconnect',
  signInAgain: 'Sign in again',
  connectedAs: 'Connected to {url} as {user}.',
  join: 'Open a project from a server',
  joinHint: 'Your coordinator tells you the server address and the project id; your user name and password are your server account.',
  projectId: 'Project id',
  joinButton: 'Open from the server',
  joined: 'Project opened from the server.',
  projectIdIs: 'Project id for the server: {id}',
  needIdentity: 'Choose your annotator name in Settings first.',
  'state.connecting': 'Connecting to the server…',
  'state.synced': 'Synced',
  'state.sending': 'Sending changes…',
  'state.waiting.one': '{n} change waiting',
  'state.waiting.other': '{n} changes waiting',
  'state.offline': 'Offline',
  'state.offlineWaiting.one': 'Offline: {n} change waiting',
  'state.offlineWaiting.other': 'Offline: {n} changes waiting',
  'state.error': 'Sync error: {reason}',
  'state.elsewhere': '{status} (synced by another tab)',
  'problem.wrong-password': 'wrong user name or password',
  'problem.signed-out': 'signed out; sign in again in the Team tab',
  'problem.unreachable': 'the server cannot be reached',
  'problem.forbidden': 'no permission for {detail}',
  'problem.no-database': 'the server has no database {detail} for you; ask its administrator',
  'problem.full': 'the server is full',
  'problem.insecure': 'use an https address (http only for this computer)',
  'problem.server': 'the server answered with an error',
  refused: 'Refused from the server (not the owner’s records)',
};

type Key = keyof typeof en;

const ja: Record<Key, string> = {
  server: 'サーバー',
  serverHint: 'このプロジェクトを CouchDB サーバーとリアルタイムに同期します。オフラインでも作業を続けられ、サーバーにつながると他の人の作業と合流します。盲検期間中、あなたのブラウザーには他の人のラベルは届きません。',
  url: 'サーバーのアドレス',
  user: 'ユーザー名',
  password: 'パスワード',
  connect: '接続',
  connecting: '接続中…',
  disconnect: '接続を解除',
  signInAgain: 'もう一度サインイン',
  connectedAs: '{url} に {user} として接続しています。',
  join: 'サーバーからプロジェクトを開く',
  joinHint: 'サーバーのアドレスとプロジェクト ID はコーディネーターから、ユーザー名とパスワードはあなたのサーバーアカウントです。',
  projectId: 'プロジェクト ID',
  joinButton: 'サーバーから開く',
  joined: 'サーバーからプロジェクトを開きました。',
  projectIdIs: 'サーバー用のプロジェクト ID: {id}',
  needIdentity: '先に設定でアノテーター名を選んでください。',
  'state.connecting': 'サーバーに接続中…',
  'state.synced': '同期済み',
  'state.sending': '変更を送信中…',
  'state.waiting.one': '{n} 件の変更が送信待ち',
  'state.waiting.other': '{n} 件の変更が送信待ち',
  'state.offline': 'オフライン',
  'state.offlineWaiting.one': 'オフライン: {n} 件の変更が送信待ち',
  'state.offlineWaiting.other': 'オフライン: {n} 件の変更が送信待ち',
  'state.error': '同期エラー: {reason}',
  'state.elsewhere': '{status}（別のタブで同期中）',
  'problem.wrong-password': 'ユーザー名またはパスワードが違います',
  'problem.signed-out': 'サインインが切れました。チームタブでもう一度サインインしてください',
  'problem.unreachable': 'サーバーに接続できません',
  'problem.forbidden': '{detail} へのアクセス権がありません',
  'problem.no-database': 'サーバーにあなたのデータベース {detail} がありません。管理者に依頼してください',
  'problem.full': 'サーバーの容量が一杯です',
  'problem.insecure': 'https のアドレスを使ってください（http はこのコンピューターのみ）',
  'problem.server': 'サーバーがエラーを返しました',
  refused: 'サーバーから受け取らなかった記録（所有者以外の記録）',
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, ja };

export type SyncText = ((key: Key, vars?: Record<string, string | number>) => string) & {
  /** A count of waiting changes, plural by the language's rules and the number formatted for it. */
  waiting: (key: 'state.waiting' | 'state.offlineWaiting', n: number) => string;
};

export function syncText(lang: Lang): SyncText {
  const plural = new Intl.PluralRules(lang);
  const num = new Intl.NumberFormat(lang);
  const t = ((key: Key, vars?: Record<string, string | number>) => fillTemplate(dictionaries[lang][key] ?? en[key], vars)) as SyncText;
  t.waiting = (key, n) => t(`${key}.${plural.select(n) === 'one' ? 'one' : 'other'}` as Key, { n: num.format(n) });
  return t;
}

export function useSyncText(): SyncText {
  return syncText(useSettings((s) => s.lang));
}
