import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.js';
import { vi, type Messages } from './vi.js';

export type Lang = 'vi' | 'en';

const storageKey = 'vanthu.lang';
const catalogs: Record<Lang, Messages> = { vi, en };

interface I18n {
  lang: Lang;
  t: Messages;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18n>({ lang: 'vi', t: vi, setLang: () => undefined });

/** The saved preference (a non-secret UI setting), if any. */
export function savedLang(): Lang | null {
  const value = localStorage.getItem(storageKey);
  return value === 'vi' || value === 'en' ? value : null;
}

export function I18nProvider({ initial, children }: { initial: Lang; children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initial);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(storageKey, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, t: catalogs[lang], setLang }), [lang, setLang]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
