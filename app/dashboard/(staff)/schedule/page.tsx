import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { DateTime } from "luxon";
import { getDb } from "@/db/client";
import { serviceLabel, query } from "@/components/dashboard/format";
import { Badge, Card, EmptyState, PageHeader, compactInputClass, secondaryButtonClass } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { listResources } from "@/lib/resources/queries";
import { staffIdsOf, staffSchedule } from "@/lib/staff/schedule";
import { scheduleQuerySchema } from "@/lib/validations/dashboard";

export const metadata = { title: "我的日程 My schedule" };

const DAYS = 7;

/**
 * 我的日程: a staff member's own bookings for a week, one card per day, readable on a phone. Admins
 * see everyone's (or one staff member's); staff see only the bookings assigned to them.
 */
export default async function SchedulePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireStaffPage("/dashboard/schedule");
  const q = scheduleQuerySchema.parse(await searchParams);
  const db = getDb();
  const { timezone } = await currentBusiness(db);
  const isAdmin = user.role === "admin";
  const start = (q.date ? DateTime.fromISO(q.date, { zone: timezone }) : DateTime.now().setZone(timezone)).startOf("day");
  const [t, ts, locale, own, people] = await Promise.all([
    getTranslations("dash.mySchedule"),
    getTranslations("dash.status"),
    getLocale(),
    staffIdsOf(db, user.id),
    isAdmin ? listResources(db) : Promise.resolve([]),
  ]);
  const staff = people.filter((r) => r.kind === "staff");
  const chosen = isAdmin ? (q.staff && staff.some((s) => s.id === q.staff) ? [q.staff] : "all") : own;
  const rows = await staffSchedule(db, { staffIds: chosen, from: start.toJSDate(), to: start.plus({ days: DAYS }).toJSDate() });
  const days = Array.from({ length: DAYS }, (_, i) => start.plus({ days: i }));
  const byDay = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = DateTime.fromJSDate(r.startsAt, { zone: timezone }).toISODate() ?? "";
    byDay.set(key, [...(byDay.get(key) ?? []), r]);
  }
  const link = (date: DateTime) => `/dashboard/schedule${query({ date: date.toISODate(), staff: isAdmin ? q.staff : undefined })}`;
  const time = (d: Date) => DateTime.fromJSDate(d, { zone: timezone }).toFormat("HH:mm");

  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} subtitle={isAdmin ? t("subtitleAdmin") : t("subtitle")} testId="schedule-title" />
      <div className="flex flex-wrap items-end gap-2">
        <Link href={link(start.minus({ days: DAYS }))} className={secondaryButtonClass}>
          ‹ {t("previous")}
        </Link>
        <Link href={link(DateTime.now().setZone(timezone))} className={secondaryButtonClass}>
          {t("today")}
        </Link>
        <Link href={link(start.plus({ days: DAYS }))} className={secondaryButtonClass}>
          {t("next")} ›
        </Link>
        {isAdmin && (
          <form className="flex items-end gap-2" data-testid="schedule-filter">
            <input type="hidden" name="date" value={start.toISODate() ?? ""} />
            <label className="text-sm">
              <span className="block text-stone-500">{t("staff")}</span>
              <select name="staff" defaultValue={q.staff ?? ""} className={compactInputClass}>
                <option value="">{t("everyone")}</option>
                {staff.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <button className={secondaryButtonClass}>{t("show")}</button>
          </form>
        )}
      </div>
      {!isAdmin && own.length === 0 ? (
        <EmptyState testId="schedule-unlinked">{t("unlinked")}</EmptyState>
      ) : (
        <div className="space-y-3" data-testid="schedule-days">
          {days.map((d) => {
            const key = d.toISODate() ?? "";
            const list = byDay.get(key) ?? [];
            return (
              <Card
                key={key}
                title={d.setLocale(locale).toFormat(locale === "en" ? "cccc d MMM" : "M月d日 cccc")}
                testId={`schedule-day-${key}`}
              >
                {list.length === 0 ? (
                  <p className="text-sm text-stone-500">{t("free")}</p>
                ) : (
                  <ul className="divide-y divide-stone-100">
                    {list.map((b) => (
                      <li key={b.id} className="flex items-start gap-3 py-2" data-testid="schedule-item" data-staff-id={b.resourceId ?? ""}>
                        <span className="w-20 shrink-0 font-semibold tabular-nums">
                          {time(b.startsAt)}–{time(b.endsAt)}
                        </span>
                        <span className="min-w-0 flex-1">
                          <Link href={`/dashboard/bookings/${b.id}`} className="block truncate font-medium hover:text-brand-600">
                            {serviceLabel(b, locale)}
                          </Link>
                          <span className="block truncate text-sm text-stone-600">
                            {b.customerName}
                            {b.customerPhone && ` · ${b.customerPhone}`}
                          </span>
                          {isAdmin && b.resourceName && <span className="block text-xs text-stone-500">{b.resourceName}</span>}
                        </span>
                        <Badge value={b.status} label={ts(b.status)} />
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            );
          })}
        </div>
      )}
    </div>
  );
}
