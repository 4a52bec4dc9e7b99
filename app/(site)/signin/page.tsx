import { headers } from "next/headers";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CodeSignInForm } from "@/components/auth/code-sign-in-form";
import { PrivacyConsentBox } from "@/components/auth/privacy-consent";
import { SignInForm } from "@/components/auth/sign-in-form";
import { sendCodeAction } from "@/lib/notifications/code-actions";
import { demoAccountHints } from "@/lib/auth/demo-hints";
import { wechatConfig } from "@/lib/wechat/config";
import { isWechatBrowser } from "@/lib/wechat/user-agent";
import { signInAction, signInWithCodeAction } from "./actions";

export const metadata = { title: "登录 Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; by?: string; consent?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const [t, to, roles, te] = await Promise.all([
    getTranslations("auth"),
    getTranslations("otp"),
    getTranslations("roles"),
    getTranslations("errors"),
  ]);
  const { callbackUrl, by, consent } = await searchParams;
  const back = callbackUrl ?? "/landing";
  const byCode = by === "code";
  // Hints are a convenience: a database hiccup hides them rather than the sign-in form.
  const demoAccounts = await demoAccountHints().catch(() => []);
  const tab = (active: boolean) =>
    `flex-1 rounded-md px-3 py-1.5 text-center text-sm ${active ? "bg-white font-medium shadow-sm" : "text-stone-600"}`;
  // Inside WeChat: one tap (snsapi_base, silent), or with the WeChat nickname (snsapi_userinfo, WeChat asks).
  const inWechat = isWechatBrowser((await headers()).get("user-agent")) && wechatConfig().official !== null;
  const tabHref = (code: boolean) => `/signin?${new URLSearchParams({ callbackUrl: back, ...(code ? { by: "code" } : {}) })}`;
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">{t("signInTitle")}</h1>
      {inWechat && (
        // A GET form: the privacy checkbox rides along to /api/wechat/oauth (a first sign-in needs it).
        <form method="get" action="/api/wechat/oauth" className="space-y-2" data-testid="wechat-sign-in">
          <input type="hidden" name="callbackUrl" value={back} />
          <PrivacyConsentBox errors={consent === "required" ? [te("privacyConsentRequired")] : undefined} />
          <button type="submit" className="block w-full rounded-lg bg-green-600 px-4 py-3 text-center font-medium text-white">
            {t("wechatSignIn")}
          </button>
          <button type="submit" name="scope" value="userinfo" className="block w-full text-center text-sm text-green-700 underline">
            {t("wechatSignInProfile")}
          </button>
        </form>
      )}
      <nav className="flex gap-1 rounded-lg bg-stone-100 p-1" aria-label={t("signInTitle")}>
        <Link href={tabHref(false)} className={tab(!byCode)} aria-current={byCode ? undefined : "page"}>
          {to("tabPassword")}
        </Link>
        <Link href={tabHref(true)} className={tab(byCode)} aria-current={byCode ? "page" : undefined}>
          {to("tabCode")}
        </Link>
      </nav>
      {byCode ? (
        <CodeSignInForm action={signInWithCodeAction} sendCode={sendCodeAction} callbackUrl={back} />
      ) : (
        <SignInForm action={signInAction} callbackUrl={back} />
      )}
      <p className="text-sm text-stone-600">
        {t("noAccount")}{" "}
        <Link href="/signup" className="text-brand-600 underline">
          {t("submitSignUp")}
        </Link>
        {" · "}
        <Link href="/reset-password" className="text-brand-600 underline">
          {to("forgotPassword")}
        </Link>
      </p>
      {demoAccounts.length > 0 && (
        <section
          className="rounded-lg border border-dashed border-stone-300 bg-white p-3 text-xs text-stone-600"
          data-testid="demo-accounts"
        >
          <h2 className="mb-1 font-semibold">{t("demoAccounts")}</h2>
          <ul className="space-y-0.5">
            {demoAccounts.map((a) => (
              <li key={a.role}>
                <code>{a.email}</code> / <code>{a.password}</code> ({roles(a.role)})
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
