import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import { SiteHeader } from "@/components/ui/site-header";
import { signOutAction, switchLocale } from "./actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "预约 Yuyue", template: "%s · 预约 Yuyue" },
  description: "在线预约 · Online booking with Alipay and WeChat Pay",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#ea580c" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-dvh">
        <NextIntlClientProvider>
          <SiteHeader signOutAction={signOutAction} switchLocale={switchLocale} />
          <main className="mx-auto w-full max-w-5xl px-4 py-6">{children}</main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
