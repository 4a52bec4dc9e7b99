import { getTranslations } from "next-intl/server";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { PhoneCodeForm } from "@/components/auth/phone-code-form";
import { sendCodeAction } from "@/lib/notifications/code-actions";
import { PreferencesForm } from "@/components/notifications/preferences-form";
import { requirePageUser } from "@/lib/auth/session";
import { getPreferences } from "@/lib/notifications/preferences";
import { changePhoneAction, savePreferencesAction } from "./actions";

export const metadata = { title: "设置 Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser("/me/settings");
  const [preferences, t, to, [account]] = await Promise.all([
    getPreferences(getDb(), user.id),
    getTranslations("inbox.settings"),
    getTranslations("otp"),
    getDb().select({ phone: users.phone, verifiedAt: users.phoneVerifiedAt }).from(users).where(eq(users.id, user.id)).limit(1),
  ]);
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
    </div>
  );
}
