import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { en, zh } from './dictionaries.js'

/** A console language. Chinese is the default. */
export type Language = 'zh-CN' | 'en-US'
/** A key of the dictionaries. */
export type MessageKey = keyof typeof zh

/** The `{name}` placeholders of a message. */
type Placeholders<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never
/** Whether a key's message has placeholders; `boolean` for a union of keys built at run time (`role.${name}`). */
type HasPlaceholders<K> = K extends MessageKey ? ([Placeholders<(typeof zh)[K]>] extends [never] ? false : true) : never
/** The values a message's placeholders take: none for a message without any, optional for a key built at run time. */
export type MessageParams<K extends MessageKey> = [HasPlaceholders<K>] extends [false]
  ? []
  : [HasPlaceholders<K>] extends [true]
    ? [params: Record<Placeholders<(typeof zh)[K]>, string | number>]
    : [params?: Record<string, string | number>]

/** A translate function: `t('segments.computed', { entered: 3, exited: 1, ms: 40 })`. */
export type Translate = <K extends MessageKey>(key: K, ...params: MessageParams<K>) => string

const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zh, 'en-US': en }
const STORAGE_KEY = 'reachloop.language'

/** A message with its `{name}` placeholders filled; a placeholder without a value stays as it is. */
export function fillPlaceholders(text: string, params: Record<string, string | number> | undefined): string {
  if (!params) return text
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole))
}

interface I18n {
  language: Language
  setLanguage(language: Language): void
  t: Translate
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
    const t: Translate = (key, ...params) => fillPlaceholders(dictionary[key], params[0])
    return {
      language,
      setLanguage,
      t,
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
