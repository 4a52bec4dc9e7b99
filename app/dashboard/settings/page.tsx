import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { formatDateTime } from "@/components/format";
import { BusinessForm, HolidaysForm, RoleForm } from "@/components/dashboard/settings/settings-forms";
import { Badge, Card, PageHeader } from "@/components/dashboard/ui";
import { requirePageUser } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { configStatus, type ProviderStatus } from "@/lib/dashboard/config-status";
import { listStaffAccounts } from "@/lib/business/settings";
import { addHolidayAction, removeHolidayAction, setRoleAction, updateBusinessAction } from "./actions";

export const metadata = { title: "设置 Settings" };

export default async function SettingsPage() {
  await requirePageUser("/dashboard/settings", ["admin"]);
  const db = getDb();
  const [t, locale, business, staff] = await Promise.all([
    getTranslations("dash.settings"),
    getLocale(),
    currentBusiness(db),
    listStaffAccounts(db),
  ]);
  const status = configStatus();
  const group = (title: string, rows: ProviderStatus[], testId: string) => (
    <Card title={title} testId={testId}>
      <ul className="divide-y divide-stone-100 text-sm">
        {rows.map((r) => (
          <li key={r.name} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2" data-provider={r.name}>
            <span className="min-w-0 flex-1 font-medium">{r.name}</span>
            {r.note && <span className="text-stone-500">{r.note}</span>}
            {r.missing.length > 0 && <span className="text-xs text-rose-700">{t("missing", { keys: r.missing.join(", ") })}</span>}
            <Badge value={r.state} label={t(`state.${r.state}`)} />
          </li>
        ))}
      </ul>
    </Card>
  );
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} subtitle={t("subtitle")} testId="settings-title" />
      <Card title={t("business")}>
        <BusinessForm business={business} action={updateBusinessAction} />
      </Card>
      <Card title={t("holidays")} testId="holidays-card">
        <HolidaysForm holidays={business.holidays} addAction={addHolidayAction} removeAction={removeHolidayAction} />
      </Card>
      <Card title={t("staff", { count: staff.length })} testId="staff-accounts">
        <ul className="mb-4 divide-y divide-stone-100 text-sm">
          {staff.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-x-3 py-2">
              <span className="min-w-0 flex-1 font-medium">{s.name}</span>
              <span className="text-stone-500">{s.email ?? s.phone}</span>
              <Badge value={s.role === "admin" ? "paid" : "open"} label={t(`roles.${s.role}`)} />
              <span className="text-xs text-stone-500">{formatDateTime(s.createdAt, locale, business.timezone, "date")}</span>
            </li>
          ))}
        </ul>
        <RoleForm action={setRoleAction} />
      </Card>
      <div className="grid gap-4 md:grid-cols-3">
        {group(t("payments"), status.payments, "config-payments")}
        {group(t("notifications"), status.notifications, "config-notifications")}
        {group(t("infrastructure"), status.infrastructure, "config-infrastructure")}
      </div>
    </div>
  );
}
