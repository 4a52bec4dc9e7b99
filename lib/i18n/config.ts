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
