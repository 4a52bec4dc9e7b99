import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { AuditList } from "@/components/dashboard/audit-list";
import { query } from "@/components/dashboard/format";
import { Card, PageHeader, Pager, inputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { auditEntityTypes, listAudit } from "@/lib/dashboard/audit-queries";
import { PAGE_SIZE } from "@/lib/booking/staff-queries";
import { auditFilterSchema } from "@/lib/validations/dashboard";

export const metadata = { title: "审计日志 Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage("/dashboard/audit");
  const filter = auditFilterSchema.parse(await searchParams);
  const db = getDb();
  const { timezone } = await currentBusiness(db);
  const [t, locale, result, types] = await Promise.all([
    getTranslations("dash"),
    getLocale(),
    listAudit(db, filter, timezone),
    auditEntityTypes(db),
  ]);
  const { page, ...kept } = filter;
  return (
    <div className="space-y-4">
      <PageHeader title={t("audit.title")} subtitle={t("audit.count", { count: result.total })} />
      <Card>
        <form method="get" className="grid grid-cols-2 gap-2 sm:grid-cols-6">
          <select name="entityType" defaultValue={filter.entityType ?? ""} className={inputClass} aria-label={t("audit.entityType")}>
            <option value="">{t("audit.allEntities")}</option>
            {types.map((ty) => (
              <option key={ty} value={ty}>
                {ty}
              </option>
            ))}
          </select>
          <input
            name="action"
            defaultValue={filter.action}
            placeholder={t("audit.action")}
            aria-label={t("audit.action")}
            className={inputClass}
          />
          <input
            name="actor"
            defaultValue={filter.actor}
            placeholder={t("audit.actor")}
            aria-label={t("audit.actor")}
            className={inputClass}
          />
          <input
            name="entityId"
            defaultValue={filter.entityId}
            placeholder={t("audit.entityId")}
            aria-label={t("audit.entityId")}
            className={inputClass}
          />
          <input type="date" name="from" defaultValue={filter.from} className={inputClass} aria-label={t("overview.from")} />
          <input type="date" name="to" defaultValue={filter.to} className={inputClass} aria-label={t("overview.to")} />
          <button type="submit" className={secondaryButtonClass}>
            {t("overview.apply")}
          </button>
        </form>
      </Card>
      <Card>
        <AuditList rows={result.rows} locale={locale} timezone={timezone} emptyText={t("audit.empty")} showEntity />
        <Pager
          page={page}
          total={result.total}
          pageSize={PAGE_SIZE}
          href={(p) => `/dashboard/audit${query({ ...kept, page: p })}`}
          labels={{ prev: t("prev"), next: t("next"), of: t("pageOf", { page, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) }) }}
        />
      </Card>
    </div>
  );
}
