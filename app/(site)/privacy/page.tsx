import { getTranslations } from "next-intl/server";
import { PRIVACY_POLICY_VERSION } from "@/lib/pii/consent";

export const metadata = { title: "隐私政策 Privacy" };

/** The privacy policy people accept at sign-up; its version is PRIVACY_POLICY_VERSION (lib/pii/consent.ts). */
export default async function PrivacyPage() {
  const t = await getTranslations("privacy");
  return (
    <article className="mx-auto max-w-2xl space-y-4" data-testid="privacy-policy">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-sm text-stone-500">{t("version", { version: PRIVACY_POLICY_VERSION })}</p>
      <p>{t("collect")}</p>
      <p>{t("use")}</p>
      <p>{t("protect")}</p>
      <p>{t("rights")}</p>
    </article>
  );
}
