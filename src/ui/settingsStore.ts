import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Lang = 'ja' | 'en';

export interface Identity {
  id: string;
  displayName: string;
}

interface SettingsState {
  lang: Lang;
  identity: Identity | null;
  setLang(lang: Lang): void;
  setIdentity(identity: Identity | null): void;
}

export function browserLang(): Lang {
  const langs = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : [];
  return langs.some((l) => l?.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
}

/** An annotator id that is the same in every browser for the same name, so work merges cleanly. */
export function annotatorIdFor(name: string): string {
  const slug = name
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^\p{L}\p{N}-]/gu, '');
  return slug || 'annotator';
}

/** Small per-browser-profile preferences; the project data lives in IndexedDB. */
export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      lang: browserLang(),
      identity: null,
      setLang: (lang) => set({ lang }),
      setIdentity: (identity) => set({ identity }),
    }),
    { name: 'granula-settings', version: 1 },
  ),
);
