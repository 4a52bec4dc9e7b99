import { getTranslations } from "next-intl/server";
import { eq, sql } from "drizzle-orm";
import Link from "next/link";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { DeleteAccountForm } from "@/components/auth/delete-account-form";
import { PhoneCodeForm } from "@/components/auth/phone-code-form";
import { sendCodeAction } from "@/lib/notifications/code-actions";
import { PreferencesForm } from "@/components/notifications/preferences-form";
import { requirePageUser } from "@/lib/auth/session";
import { getPreferences } from "@/lib/notifications/preferences";
import { changePhoneAction, deleteAccountAction, savePreferencesAction, sendOwnCodeAction } from "./actions";

export const metadata = { title: "设置 Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser("/me/settings");
  const [preferences, t, to, [account]] = await Promise.all([
    getPreferences(getDb(), user.id),
    getTranslations("inbox.settings"),
    getTranslations("otp"),
    getDb()
      .select({
        phone: users.phone,
        verifiedAt: users.phoneVerifiedAt,
        hasPassword: sql<boolean>`${users.passwordHash} is not null`,
        consentVersion: users.privacyConsentVersion,
        consentAt: users.privacyConsentAt,
      })
      .from(users)
      .where(eq(users.id, user.id))
      .limit(1),
  ]);
  const tp = await getTranslations("privacy");
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <PreferencesForm initial={preferences} action={savePreferencesAction} />
      <section className="space-y-3 rounded-2xl border border-stone-200 bg-white p-5" data-testid="change-phone">
        <h2 className="text-lg font-semibold">{to("changePhoneTitle")}</h2>
        {account?.phone && (
          <p className="text-sm text-stone-600">
            {to("currentPhone", { phone: account.phone })} ({account.verifiedAt ? to("verified") : to("notVerified")})
          </p>
        )}
        <PhoneCodeForm
          action={changePhoneAction}
          sendCode={sendCodeAction}
          label={to("changePhoneTitle")}
          phoneLabel={to("newPhone")}
          submitLabel={to("submitChangePhone")}
        />
      </section>
      <section className="space-y-3 rounded-2xl border border-stone-200 bg-white p-5" data-testid="my-data">
        <h2 className="text-lg font-semibold">{tp("yourData")}</h2>
        <p className="text-sm text-stone-600">
          {account?.consentVersion
            ? tp("consented", { version: account.consentVersion, at: account.consentAt?.toISOString().slice(0, 10) ?? "" })
            : tp("notConsented")}{" "}
          <Link className="text-brand-600 underline" href="/privacy">
            {tp("title")}
          </Link>
        </p>
        <p className="text-sm text-stone-600">{tp("exportHint")}</p>
        <a
          className="inline-block rounded-lg border border-stone-300 px-3 py-2 text-sm"
          href="/me/export"
          download
          data-testid="export-my-data"
        >
          {tp("export")}
        </a>
        <h3 className="pt-2 font-semibold">{tp("deleteTitle")}</h3>
        <p className="text-sm text-stone-600">{tp("deleteHint")}</p>
        <DeleteAccountForm
          action={deleteAccountAction}
          sendCode={account?.phone ? sendOwnCodeAction : undefined}
          hasPassword={Boolean(account?.hasPassword)}
        />
      </section>
    </div>
  );
}
