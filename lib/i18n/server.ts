import "server-only";
import { getLocale } from "next-intl/server";
import { toLocale, type Locale } from "./config";

/** The language of the current request's UI (lib/i18n/request.ts decides it: cookie, then Accept-Language). */
export const requestLocale = async (): Promise<Locale> => toLocale(await getLocale());
