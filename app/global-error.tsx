"use client";

import { useSyncExternalStore } from "react";
import { defaultLocale, localeCookie, toLocale, type Locale } from "@/lib/i18n/config";

// The root layout failed, so next-intl's provider is not there: the page's three texts live here.
const texts: Record<Locale, { title: string; body: string; retry: string }> = {
  "zh-CN": { title: "页面暂时无法显示", body: "服务繁忙或暂时不可用，请稍后重试。", retry: "重试" },
  en: {
    title: "This page can't be shown right now",
    body: "The service is busy or briefly unavailable. Please try again in a moment.",
    retry: "Try again",
  },
};

/** The language the visitor chose (the NEXT_LOCALE cookie), else the browser's. */
function browserLocale(): Locale {
  const chosen = document.cookie
    .split("; ")
    .find((c) => c.startsWith(`${localeCookie}=`))
    ?.slice(localeCookie.length + 1);
  return toLocale(chosen ?? navigator.language);
}

const noSubscription = () => () => {};

/** Last resort when the root layout itself failed to render (no translations, no header there): a plain page with a reload link. */
export default function GlobalError() {
  const locale = useSyncExternalStore(noSubscription, browserLocale, () => defaultLocale);
  const t = texts[locale];
  return (
    <html lang={locale}>
      <body style={{ fontFamily: "system-ui, sans-serif", textAlign: "center", padding: "4rem 1rem", color: "#292524" }}>
        <h1 style={{ fontSize: "1.5rem", fontWeight: 700 }}>{t.title}</h1>
        <p>{t.body}</p>
        <p>
          <a href="" style={{ color: "#ea580c" }}>
            {t.retry}
          </a>
        </p>
      </body>
    </html>
  );
}
