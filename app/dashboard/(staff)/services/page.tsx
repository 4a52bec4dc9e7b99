import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { serviceLabel } from "@/components/dashboard/format";
import { Badge, Card, EmptyState, PageHeader, buttonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { listServicesForStaff } from "@/lib/services/staff-queries";
import { formatFen } from "@/lib/money";

export const metadata = { title: "服务 Services" };

export default async function ServicesPage() {
  await requireStaffPage("/dashboard/services");
  const [t, locale, services] = await Promise.all([getTranslations("dash.services"), getLocale(), listServicesForStaff(getDb())]);
  return (
    <div className="space-y-4">
      <PageHeader
        title={t("title")}
        actions={
          <Link prefetch={false} href="/dashboard/services/new" className={buttonClass} data-testid="new-service">
            {t("new")}
          </Link>
        }
      />
      <Card>
        {services.length === 0 ? (
          <EmptyState>{t("empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100" data-testid="service-list">
            {services.map((s) => (
              <li key={s.id}>
                <Link
                  prefetch={false}
                  href={`/dashboard/services/${s.id}`}
                  className="flex flex-wrap items-center gap-x-3 gap-y-1 py-3 hover:bg-stone-50"
                  data-testid="service-row"
                >
                  <span className="min-w-0 flex-1 font-medium">{serviceLabel(s, locale)}</span>
                  <span className="text-sm text-stone-500">
                    {t("summary", { minutes: s.durationMin, price: formatFen(s.priceFen), capacity: s.capacity })}
                  </span>
                  {s.resourceName && <span className="text-sm text-stone-500">{s.resourceName}</span>}
                  <span className="text-sm text-stone-500">{t("upcoming", { count: s.upcomingSlots })}</span>
                  {!s.hasSchedule && <Badge value="partial" label={t("noSchedule")} />}
                  <Badge value={s.active ? "open" : "closed"} label={s.active ? t("activeBadge") : t("inactiveBadge")} />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
