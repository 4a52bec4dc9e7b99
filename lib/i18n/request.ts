import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { localeCookie, toLocale } from "./config";

// No locale in the URL: the cookie decides, then Accept-Language, then zh-CN.
export default getRequestConfig(async () => {
  const cookieLocale = (await cookies()).get(localeCookie)?.value;
  const headerLocale = (await headers()).get("accept-language")?.split(",")[0];
  const locale = cookieLocale ? toLocale(cookieLocale) : headerLocale?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
  const messages = (await import(`./messages/${locale}.json`)).default;
  return { locale, messages, timeZone: "Asia/Shanghai" };
});
