import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { formatDateTime } from "@/components/format";
import { StaffHoursForm, StaffProfileForm, TimeOffEditor } from "@/components/dashboard/staff/staff-forms";
import { Card, PageHeader } from "@/components/dashboard/ui";
import { requirePageUser } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { toLocale } from "@/lib/i18n/config";
import { staffForEdit } from "@/lib/staff/queries";
import { listTimeOff } from "@/lib/staff/time-off";

export const metadata = { title: "服务人员 Staff member" };

/** One staff member (admins): what customers see, their hours and breaks, their leave and sick days. */
export default async function StaffPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageUser(`/dashboard/resources/${id}`, ["admin"]);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  const business = await currentBusiness(db);
  const staff = await staffForEdit(db, business.id, id);
  if (!staff) notFound();
  const [t, locale, timeOff] = await Promise.all([getTranslations("dash.staff"), getLocale(), listTimeOff(db, id, new Date())]);
  const when = (d: Date) => formatDateTime(d.toISOString(), toLocale(locale), business.timezone);
  return (
    <div className="space-y-4">
      <PageHeader title={staff.name} subtitle={staff.title ?? t("title")} testId="staff-title" />
      <Card title={t("profile")}>
        <StaffProfileForm staff={staff} />
      </Card>
      <Card title={t("timeOff")}>
        <TimeOffEditor
          staffId={id}
          rows={timeOff.map((o) => ({
            id: o.id,
            startsAt: o.startsAt.toISOString(),
            endsAt: o.endsAt.toISOString(),
            kind: o.kind,
            note: o.note,
            label: `${when(o.startsAt)} – ${when(o.endsAt)}`,
          }))}
        />
      </Card>
      <Card title={t("hours")}>
        <StaffHoursForm staff={staff} />
      </Card>
    </div>
  );
}
