"use client";

import { useTranslations } from "next-intl";
import type { Holiday } from "@/db/schema";
import { ActionForm, type FormAction } from "../action-form";
import { EmptyState, compactInputClass, inputClass, secondaryButtonClass } from "../ui";

type Business = {
  name: string;
  timezone: string;
  locales: string[];
  defaultLocale: string;
  phone: string | null;
  address: string | null;
  wechatTemplates: { booking_confirmed?: string; reminder?: string };
};

/** `action` saves the business (a server action passed in by the page). */
export function BusinessForm({ business, action }: { business: Business; action: FormAction }) {
  const t = useTranslations("dash.settings");
  return (
    <ActionForm action={action} submitLabel={t("save")} testId="business-form">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <label className="block text-sm">
          {t("name")}
          <input name="name" defaultValue={business.name} className={inputClass} required />
        </label>
        <label className="block text-sm">
          {t("timezone")}
          <input name="timezone" defaultValue={business.timezone} className={inputClass} list="zones" required />
        </label>
        <datalist id="zones">
          {["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Europe/London", "America/Los_Angeles"].map(
            (z) => (
              <option key={z} value={z} />
            ),
          )}
        </datalist>
        <label className="block text-sm">
          {t("phone")}
          <input name="phone" defaultValue={business.phone ?? ""} className={inputClass} />
        </label>
        <label className="block text-sm">
          {t("address")}
          <input name="address" defaultValue={business.address ?? ""} className={inputClass} />
        </label>
        <fieldset className="text-sm">
          <legend>{t("languages")}</legend>
          {["zh-CN", "en"].map((l) => (
            <label key={l} className="mr-3 inline-flex items-center gap-1">
              <input type="checkbox" name="locales" value={l} defaultChecked={business.locales.includes(l)} />
              {l}
            </label>
          ))}
        </fieldset>
        <label className="block text-sm">
          {t("defaultLanguage")}
          <select name="defaultLocale" defaultValue={business.defaultLocale} className={inputClass}>
            <option value="zh-CN">zh-CN</option>
            <option value="en">en</option>
          </select>
        </label>
        <label className="block text-sm">
          {t("wechatTemplateConfirmed")}
          <input name="wechatTemplateConfirmed" defaultValue={business.wechatTemplates.booking_confirmed ?? ""} className={inputClass} />
        </label>
        <label className="block text-sm">
          {t("wechatTemplateReminder")}
          <input name="wechatTemplateReminder" defaultValue={business.wechatTemplates.reminder ?? ""} className={inputClass} />
        </label>
      </div>
      <p className="text-xs text-stone-500">{t("timezoneHint")}</p>
      <p className="text-xs text-stone-500">{t("wechatTemplateHint")}</p>
    </ActionForm>
  );
}

/** `action` changes an account's role (a server action passed in by the page). */
export function RoleForm({ action }: { action: FormAction }) {
  const t = useTranslations("dash.settings");
  return (
    <ActionForm
      action={action}
      submitLabel={t("setRole")}
      submitClass={secondaryButtonClass}
      resetOnSuccess
      className="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_10rem_auto]"
      testId="role-form"
    >
      <input name="identifier" placeholder={t("identifier")} aria-label={t("identifier")} className={inputClass} required />
      <select name="role" defaultValue="staff" className={inputClass} aria-label={t("role")}>
        <option value="staff">{t("roles.staff")}</option>
        <option value="admin">{t("roles.admin")}</option>
        <option value="customer">{t("roles.customer")}</option>
      </select>
    </ActionForm>
  );
}

/** Business-wide closed days: adding one closes every service's slots that day; booked ones become conflicts. */
/** `addAction` and `removeAction` are server actions passed in by the page. */
export function HolidaysForm({
  holidays,
  addAction,
  removeAction,
}: {
  holidays: Holiday[];
  addAction: FormAction;
  removeAction: FormAction;
}) {
  const t = useTranslations("dash.holidays");
  return (
    <div className="space-y-3">
      {holidays.length === 0 ? (
        <EmptyState testId="holidays-empty">{t("empty")}</EmptyState>
      ) : (
        <ul className="divide-y divide-stone-100 text-sm" data-testid="holiday-list">
          {holidays.map((h) => (
            <li key={h.date} className="flex flex-wrap items-center gap-x-3 py-1" data-testid="holiday" data-date={h.date}>
              <span className="font-mono tabular-nums">{h.date}</span>
              <span className="min-w-0 flex-1">{h.name}</span>
              <ActionForm
                action={removeAction}
                submitLabel={t("remove")}
                submitClass="text-sm text-rose-600 underline"
                className="flex items-center gap-2"
                resultTestId="holiday-remove-result"
              >
                <input type="hidden" name="date" value={h.date} />
              </ActionForm>
            </li>
          ))}
        </ul>
      )}
      <ActionForm
        action={addAction}
        submitLabel={t("add")}
        submitClass={secondaryButtonClass}
        resetOnSuccess
        className="flex flex-wrap items-end gap-2"
        testId="holiday-form"
        resultTestId="holiday-result"
      >
        <label className="text-sm">
          {t("date")}
          <input type="date" name="date" className={inputClass} required />
        </label>
        <label className="text-sm">
          {t("name")}
          <input name="name" className={`${compactInputClass} w-48`} maxLength={60} />
        </label>
      </ActionForm>
      <p className="text-xs text-stone-500">{t("hint")}</p>
    </div>
  );
}
