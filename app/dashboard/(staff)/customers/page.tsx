import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { query } from "@/components/dashboard/format";
import { formatDateTime } from "@/components/format";
import { Card, EmptyState, PageHeader, Pager, inputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { PAGE_SIZE } from "@/lib/booking/staff-queries";
import { searchCustomers } from "@/lib/customers/queries";
import { customerGroups } from "@/lib/customers/detail";
import { customerSearchSchema } from "@/lib/validations/customer";
import { pageParam } from "@/lib/validations/dashboard";

export const metadata = { title: "客户 Customers" };

const filterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  group: z.string().trim().max(40).optional().catch(undefined),
  page: pageParam,
});

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaffPage("/dashboard/customers");
  const filter = filterSchema.parse(await searchParams);
  const search = customerSearchSchema.parse({
    q: filter.q || undefined,
    group: filter.group || undefined,
    limit: PAGE_SIZE,
    offset: (filter.page - 1) * PAGE_SIZE,
  });
  const db = getDb();
  const [{ timezone }, t, locale, result, groups] = await Promise.all([
    currentBusiness(db),
    getTranslations("dash"),
    getLocale(),
    searchCustomers(db, search),
    customerGroups(db),
  ]);
  return (
    <div className="space-y-4">
      <PageHeader title={t("customers.title")} subtitle={t("customers.count", { count: result.total })} />
      <Card>
        <form method="get" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <input
            name="q"
            defaultValue={filter.q}
            placeholder={t("customers.search")}
            aria-label={t("customers.search")}
            className={`${inputClass} col-span-2`}
          />
          <select name="group" defaultValue={filter.group ?? ""} className={inputClass} aria-label={t("customers.groups")}>
            <option value="">{t("customers.allGroups")}</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
          <button type="submit" className={secondaryButtonClass}>
            {t("overview.apply")}
          </button>
        </form>
      </Card>
      <Card>
        {result.rows.length === 0 ? (
          <EmptyState>{t("customers.empty")}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="customer-list">
            {result.rows.map((c) => (
              <li key={c.id}>
                <Link
                  prefetch={false}
                  href={`/dashboard/customers/${c.id}`}
                  className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 hover:bg-stone-50"
                >
                  <span className="min-w-0 flex-1 font-medium">{c.name}</span>
                  <span className="text-stone-500">{c.phone ?? c.email}</span>
                  {c.groups.map((g) => (
                    <span key={g} className="rounded-full bg-brand-50 px-2 text-xs text-brand-700">
                      {g}
                    </span>
                  ))}
                  <span className="text-stone-500">{t("customers.bookings", { count: c.bookingCount })}</span>
                  <span className={c.noShowCount > 0 ? "text-rose-700" : "text-stone-500"}>
                    {t("customers.noShows", { count: c.noShowCount })}
                  </span>
                  <span className="text-xs text-stone-500">
                    {c.lastVisit ? t("customers.lastVisit", { date: formatDateTime(c.lastVisit, locale, timezone, "date") }) : ""}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={filter.page}
          total={result.total}
          pageSize={PAGE_SIZE}
          href={(p) => `/dashboard/customers${query({ q: filter.q, group: filter.group, page: p })}`}
          labels={{
            prev: t("prev"),
            next: t("next"),
            of: t("pageOf", { page: filter.page, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)) }),
          }}
        />
      </Card>
    </div>
  );
}
