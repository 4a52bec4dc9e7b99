export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "zh-CN";
export const localeCookie = "NEXT_LOCALE";

export function toLocale(value: string | null | undefined): Locale {
  if (!value) return defaultLocale;
  const lower = value.toLowerCase();
  if (lower.startsWith("en")) return "en";
  if (lower.startsWith("zh")) return "zh-CN";
  return defaultLocale;
}

/** The first language of an Accept-Language header this app speaks, or undefined. */
export function fromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  for (const part of header?.split(",") ?? []) {
    const tag = part.split(";")[0]?.trim().toLowerCase() ?? "";
    if (tag.startsWith("en")) return "en";
    if (tag.startsWith("zh")) return "zh-CN";
  }
  return undefined;
}

/**
 * The one rule for a request's language. Pages and actions: the chosen language (the NEXT_LOCALE
 * cookie) wins over Accept-Language. The API: Accept-Language wins over the account's language.
 * Neither → zh-CN.
 */
export function negotiateLocale(chosen: string | null | undefined, acceptLanguage: string | null | undefined): Locale {
  return chosen ? toLocale(chosen) : (fromAcceptLanguage(acceptLanguage) ?? defaultLocale);
}

export function apiLocale(acceptLanguage: string | null | undefined, accountLocale: string | null | undefined): Locale {
  return fromAcceptLanguage(acceptLanguage) ?? toLocale(accountLocale);
}
