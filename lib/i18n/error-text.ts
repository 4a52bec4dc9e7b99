// use-intl/core is next-intl's translator without React: this module also runs in the worker and the seed script.
import { createTranslator } from "use-intl/core";
import type { Locale } from "./config";
import en from "./messages/en.json";
import zhCN from "./messages/zh-CN.json";

export type ErrorParams = Record<string, string | number>;

const catalogues = { "zh-CN": zhCN, en } satisfies Record<Locale, unknown>;

type Translate = { has(key: string): boolean; (key: string, params?: ErrorParams): string };
const translators = new Map<Locale, Translate>();

function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    // Keys are data here (carried by AppError and zod issues), so the typed key union is loosened.
    t = createTranslator({ locale, messages: catalogues[locale], namespace: "errors" }) as unknown as Translate;
    translators.set(locale, t);
  }
  return t;
}

const labelTranslators = new Map<Locale, Translate>();
function labels(locale: Locale): Translate {
  let t = labelTranslators.get(locale);
  if (!t) {
    t = createTranslator({ locale, messages: catalogues[locale] }) as unknown as Translate;
    labelTranslators.set(locale, t);
  }
  return t;
}

/** Where a `status` parameter's words live: a booking's, else an outbox message's. */
const statusLabels = ["booking.status", "dash.messageStatus"];

/** A status carried as a parameter reads as the word the reader knows (已取消), never the enum (cancelled). */
function readableParams(locale: Locale, params?: ErrorParams): ErrorParams | undefined {
  const status = params?.status;
  if (typeof status !== "string" || !/^[a-z_]+$/.test(status)) return params;
  const t = labels(locale);
  const found = statusLabels.map((group) => `${group}.${status}`).find((key) => t.has(key));
  return found ? { ...params, status: t(found) } : params;
}

/**
 * The text of an `errors.*` catalogue key in a language, or undefined when `key` is not a key (a
 * library's own message such as zod's defaults, or a technical English text for developers).
 */
export function errorText(locale: Locale, key: string, params?: ErrorParams): string | undefined {
  if (!/^[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)*$/.test(key)) return undefined;
  const t = translator(locale);
  return t.has(key) ? t(key, readableParams(locale, params)) : undefined;
}

/** A message that may be a catalogue key, in the reader's language; anything else unchanged. */
export const localizeText = (locale: Locale, text: string, params?: ErrorParams): string => errorText(locale, text, params) ?? text;

/**
 * Texts kept in rows and job data (a cancellation reason, a refund's or a delivery's problem) are
 * written as a catalogue key with an optional detail (`key: detail`), so each reader sees them in
 * their own language; free text typed by a person is shown as it is.
 */
export const storedText = (key: string, detail?: string): string => (detail ? `${key}: ${detail}` : key);

export function readStoredText(locale: Locale, text: string): string {
  const m = /^([a-z][A-Za-z0-9]*)(?:: ([\s\S]*))?$/.exec(text);
  const head = m?.[1] ? errorText(locale, m[1]) : undefined;
  if (!m || head === undefined) return text;
  return m[2] ? `${head}: ${localizeText(locale, m[2])}` : head;
}
