import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { en } from './en.js'
import { zh } from './zh.js'

/** A console language. Chinese is the default. */
export type Language = 'zh-CN' | 'en-US'
/** A key of the dictionaries. */
export type MessageKey = keyof typeof zh

const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zh, 'en-US': en }
const STORAGE_KEY = 'reachloop.language'

interface I18n {
  language: Language
  setLanguage(language: Language): void
  t(key: MessageKey): string
  /** A translated text for a key built at run time (e.g. `role.${name}`), or `fallback`. */
  tMaybe(key: string, fallback: string): string
}

const I18nContext = createContext<I18n | null>(null)

const initialLanguage = (): Language => (localStorage.getItem(STORAGE_KEY) === 'en-US' ? 'en-US' : 'zh-CN')

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage)
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next)
    document.documentElement.lang = next
    setLanguageState(next)
  }, [])
  const value = useMemo<I18n>(() => {
    const dictionary = dictionaries[language]
    return {
      language,
      setLanguage,
      t: (key) => dictionary[key],
      tMaybe: (key, fallback) => (Object.hasOwn(dictionary, key) ? dictionary[key as MessageKey] : fallback),
    }
  }, [language, setLanguage])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

/** The current language and its translate function. */
export function useI18n(): I18n {
  const context = useContext(I18nContext)
  if (!context) throw new Error('useI18n outside I18nProvider')
  return context
}
