import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { fa } from './fa';
import { persianDigitsInText } from '../lib/digits';

export type Lang = 'fa' | 'en';

const STORAGE_KEY = 'anjoman.lang';

export function initialLang(): Lang {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return stored === 'en' ? 'en' : 'fa';
}

export function directionOf(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'fa' ? 'rtl' : 'ltr';
}

/** Applies a language to the document (lang, dir) and remembers it. */
export function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = directionOf(lang);
  localStorage.setItem(STORAGE_KEY, lang);
}

// Every Persian interface text, numbers formatted into it included, reads in Persian digits.
const persianDigits = {
  type: 'postProcessor' as const,
  name: 'persianDigits',
  process: (value: string, _key: string | string[], _options: unknown, translator: { language?: string }) =>
    translator.language === 'fa' ? persianDigitsInText(value) : value,
};

void i18n.use(initReactI18next).use(persianDigits).init({
  resources: { fa: { translation: fa }, en: { translation: en } },
  lng: initialLang(),
  fallbackLng: 'fa',
  interpolation: { escapeValue: false },
  postProcess: ['persianDigits'],
});

export default i18n;
