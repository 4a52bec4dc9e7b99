"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage, SubmitButton } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions";
import type { PreferenceValues, Preferences } from "@/lib/notifications/preferences";

type State = ActionResult & { values?: PreferenceValues };
type Props = {
  initial: Preferences;
  action: (prev: State | null, fd: FormData) => Promise<State>;
};

const channels = ["email", "sms", "inApp"] as const;

export function PreferencesForm({ initial, action }: Props) {
  const t = useTranslations("inbox.settings");
  const [state, formAction, pending] = useActionState(action, null);
  const missing = { email: !initial.reachable.email, sms: !initial.reachable.sms, inApp: false };
  const channelErrors = state?.fieldErrors?.channels;
  // React resets a form after its action: the inputs remount with what was submitted (when it was
  // rejected) or what is saved, never with stale defaults.
  const shown = state?.values ?? initial;
  const key = JSON.stringify([shown.prefs, shown.locale]);
  return (
    <form action={formAction} className="space-y-6" data-testid="preferences-form">
      <fieldset className="space-y-3" key={`channels-${key}`}>
        <legend className="text-lg font-semibold">{t("channelsTitle")}</legend>
        <p className="text-sm text-stone-600">{t("channelsHint")}</p>
        {channels.map((c) => (
          <div key={c}>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name={c}
                defaultChecked={shown.prefs[c]}
                className="size-4 accent-brand-600"
                data-testid={`pref-${c}`}
              />
              <span>{t(c)}</span>
            </label>
            {missing[c] && <p className="ml-6 text-xs text-amber-700">{t(c === "email" ? "missingEmail" : "missingPhone")}</p>}
          </div>
        ))}
        {channelErrors?.map((e) => (
          <p key={e} className="text-sm text-red-600" role="alert">
            {e}
          </p>
        ))}
        <p className="rounded-lg bg-stone-100 px-3 py-2 text-sm text-stone-600" data-testid="pref-fallback">
          {t("fallback")}
        </p>
      </fieldset>

      <fieldset className="space-y-2" key={`locale-${key}`}>
        <legend className="text-lg font-semibold">{t("languageTitle")}</legend>
        <p className="text-sm text-stone-600">{t("languageHint")}</p>
        {(["zh-CN", "en"] as const).map((l) => (
          <label key={l} className="flex items-center gap-2">
            <input type="radio" name="locale" value={l} defaultChecked={shown.locale === l} className="size-4 accent-brand-600" />
            <span>{l === "en" ? t("en") : t("zhCN")}</span>
          </label>
        ))}
      </fieldset>

      <FormMessage state={channelErrors ? null : state} />
      <SubmitButton pending={pending}>{t("save")}</SubmitButton>
    </form>
  );
}
