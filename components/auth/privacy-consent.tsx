"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";

/** "I have read and accept the privacy policy" (PIPL consent), with its error under it. */
export function PrivacyConsentBox({ errors }: { errors?: string[] }) {
  const t = useTranslations("auth");
  return (
    <div className="space-y-1">
      <label className="flex items-center gap-2 text-sm text-stone-700">
        <input type="checkbox" name="privacyConsent" aria-invalid={errors?.length ? true : undefined} />
        <span>
          {t("privacyConsent")}{" "}
          <Link href="/privacy" target="_blank" className="text-brand-600 underline">
            {t("privacyPolicy")}
          </Link>
        </span>
      </label>
      {errors?.map((e) => (
        <p key={e} className="text-sm text-red-600" role="alert">
          {e}
        </p>
      ))}
    </div>
  );
}
