// Languages: Finnish, Swedish, English. `?lang=` chooses one (and is kept in
// localStorage), else the kept choice, else the browser's language, else
// English. <html lang> follows. Dates and numbers go through Intl.
import { en, type Texts } from "./texts/en";
import { fi } from "./texts/fi";
import { sv } from "./texts/sv";

export type Lang = "fi" | "sv" | "en";
export const LANGS: Lang[] = ["fi", "sv", "en"];
export type Key = keyof Texts;

const TEXTS: Record<Lang, Texts> = { fi, sv, en };
const LOCALE: Record<Lang, string> = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };
const LANG_KEY = "ikv.lang";

function isLang(v: string | null | undefined): v is Lang {
  return v === "fi" || v === "sv" || v === "en";
}

function initialLang(): Lang {
  const fromQuery = new URLSearchParams(location.search).get("lang");
  if (isLang(fromQuery)) {
    localStorage.setItem(LANG_KEY, fromQuery);
    return fromQuery;
  }
  const kept = localStorage.getItem(LANG_KEY);
  if (isLang(kept)) return kept;
  for (const l of navigator.languages || [navigator.language]) {
    const base = l.toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return "en";
}

let lang: Lang = initialLang();
document.documentElement.lang = lang;

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next;
  const url = new URL(location.href);
  url.searchParams.set("lang", next);
  history.replaceState(history.state, "", url);
}

// The text of `key`, with {name} placeholders filled.
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  let s = TEXTS[lang][key] ?? en[key];
  for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(typeof v === "number" ? num(v) : v);
  return s;
}

export function num(n: number | null | undefined): string {
  if (n === null || n === undefined) return "–";
  return new Intl.NumberFormat(LOCALE[lang]).format(n);
}

// A YYYY-MM-DD (or YYYY-MM) date, as written in the chosen language.
export function date(d: string | null | undefined): string {
  if (!d) return "–";
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(d);
  if (!m) return d;
  const when = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1));
  const opts: Intl.DateTimeFormatOptions = m[3]
    ? { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" }
    : { year: "numeric", month: "long", timeZone: "UTC" };
  return new Intl.DateTimeFormat(LOCALE[lang], opts).format(when);
}

// A date as typed in the chosen language's numeric form (the date fields are
// plain text, since a browser's own date picker follows the browser's locale,
// not the page's): fi 18.3.2026 / 3.2026, sv 2026-03-18 / 2026-03, en
// 18/03/2026 / 03/2026. `iso` is YYYY-MM-DD or YYYY-MM; other text is kept.
export function dateInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (lang === "sv") return iso;
  if (lang === "fi") return d ? `${Number(d)}.${Number(mo)}.${y}` : `${Number(mo)}.${y}`;
  return d ? `${d}/${mo}/${y}` : `${mo}/${y}`;
}

// The YYYY-MM-DD or YYYY-MM of a typed date, or null when it is no real date.
// Every language's form is accepted in every language (d.m.yyyy, d/m/yyyy,
// yyyy-mm-dd and their month-only forms), so a pasted date is not refused.
export function parseDateInput(text: string): string | null {
  const v = text.trim();
  let y: number;
  let mo: number;
  let d: number | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(v))) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = m[3] ? Number(m[3]) : null;
  } else if ((m = /^(?:(\d{1,2})[./])?(\d{1,2})[./](\d{4})$/.exec(v))) {
    d = m[1] ? Number(m[1]) : null;
    mo = Number(m[2]);
    y = Number(m[3]);
  } else {
    return null;
  }
  if (y < 1 || mo < 1 || mo > 12) return null;
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  if (d === null) return `${pad(y, 4)}-${pad(mo)}`;
  const when = new Date(Date.UTC(y, mo - 1, d));
  if (when.getUTCFullYear() !== y || when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

// An RFC 3339 instant, in the browser's time zone.
export function instant(s: string | null | undefined): string {
  if (!s) return "–";
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "short", timeStyle: "medium" }).format(d);
}

// A trend period label: "2024-03" (month), "2024-Q2" (quarter), "2024" (year).
export function period(p: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return t("quarterLabel", { year: q[1], q: q[2] });
  if (/^\d{4}-\d{2}$/.test(p)) {
    const [y, m] = p.split("-").map(Number);
    return new Intl.DateTimeFormat(LOCALE[lang], { year: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
  }
  return p;
}

// A steward as the API gives it: one organisation, or several (joined by the
// language's "and").
export function steward(s: string | string[] | null | undefined): string {
  if (s === null || s === undefined) return "–";
  if (typeof s === "string") return s;
  return new Intl.ListFormat(LOCALE[lang], { type: "conjunction" }).format(s);
}

// A multilingual label from the API ({fi, sv, en}) in the chosen language.
export function label(l: { fi: string; sv: string; en: string } | null | undefined, fallback = ""): string {
  if (!l) return fallback;
  return l[lang] || l.en || fallback;
}

export function languageName(l: Lang): string {
  return { fi: "suomi", sv: "svenska", en: "English" }[l];
}
