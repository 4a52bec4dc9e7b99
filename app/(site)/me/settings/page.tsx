import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { PreferencesForm } from "@/components/notifications/preferences-form";
import { requirePageUser } from "@/lib/auth/session";
import { getPreferences } from "@/lib/notifications/preferences";
import { savePreferencesAction } from "./actions";

export const metadata = { title: "设置 Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser("/me/settings");
  const [preferences, t] = await Promise.all([getPreferences(getDb(), user.id), getTranslations("inbox.settings")]);
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <PreferencesForm initial={preferences} action={savePreferencesAction} />
    </div>
  );
}
