import { z } from "zod";
import type { Locale } from "./config";

/** zod's own messages in the reader's language (a schema's catalogue keys still win over them). */
export const zodErrorMap = (locale: Locale) => (locale === "en" ? z.locales.en() : z.locales.zhCN()).localeError;
