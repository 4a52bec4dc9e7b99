import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { demoAccountHints } from "@/lib/auth/demo-hints";
import { signInAction } from "./actions";

export const metadata = { title: "登录 Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const t = await getTranslations("auth");
  const { callbackUrl } = await searchParams;
  // Hints are a convenience: a database hiccup hides them rather than the sign-in form.
  const demoAccounts = await demoAccountHints().catch(() => []);
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">{t("signInTitle")}</h1>
      <SignInForm action={signInAction} callbackUrl={callbackUrl ?? "/me"} />
      <p className="text-sm text-stone-600">
        {t("noAccount")}{" "}
        <Link href="/signup" className="text-brand-600 underline">
          {t("submitSignUp")}
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
                <code>{a.email}</code> / <code>{a.password}</code> ({a.role})
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
