import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { serviceLabel } from "@/components/dashboard/format";
import { scheduleDraft, serviceDraft } from "@/components/dashboard/services/drafts";
import { ConflictList } from "@/components/dashboard/services/conflict-list";
import { resolveConflictAction } from "@/lib/dashboard/actions/slot-conflicts";
import { ScheduleEditor } from "@/components/dashboard/services/schedule-editor";
import { ServiceForm } from "@/components/dashboard/services/service-form";
import { SlotManager } from "@/components/dashboard/services/slot-manager";
import { ServiceStaffForm } from "@/components/dashboard/staff/staff-forms";
import { serviceStaffWeights } from "@/lib/staff/queries";
import { Card, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { dayRange } from "@/lib/booking/day-range";
import { listResources } from "@/lib/resources/queries";
import { getServiceForEdit } from "@/lib/services/staff-queries";
import { listSlotConflicts } from "@/lib/booking/slot-conflicts";
import { isAppError } from "@/lib/errors";
import { rangeFilterSchema } from "@/lib/validations/dashboard";

export const metadata = { title: "编辑服务 Service" };

export default async function ServicePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const user = await requireStaffPage(`/dashboard/services/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  const business = await currentBusiness(db);
  const window = dayRange(rangeFilterSchema.parse(await searchParams), business.timezone, new Date(), {
    defaultDays: 14,
    maxDays: 62,
    forward: true,
  });
  const editor = await getServiceForEdit(db, id, window).catch((e) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const [t, tc, ts, locale, resources, conflicts, weights] = await Promise.all([
    getTranslations("dash.services"),
    getTranslations("dash.conflicts"),
    getTranslations("dash.staff"),
    getLocale(),
    listResources(db),
    listSlotConflicts(db, { serviceId: id }),
    serviceStaffWeights(db, id),
  ]);
  const staffRows = resources
    .filter((r) => r.kind === "staff" && (r.active || weights.has(r.id)))
    .map((r) => ({ id: r.id, name: r.name, title: r.title, offers: weights.has(r.id), weight: weights.get(r.id) ?? 1 }));
  return (
    <div className="space-y-4">
      <PageHeader
        title={serviceLabel(editor.service, locale)}
        subtitle={editor.service.active ? undefined : t("inactiveBadge")}
        testId="service-title"
      />
      <Card title={t("details")}>
        <ServiceForm
          initial={serviceDraft(editor.service)}
          resources={resources.map((r) => ({ id: r.id, name: r.name }))}
          businessPolicy={business.policy}
        />
      </Card>
      {conflicts.length > 0 && (
        <Card title={tc("forService", { count: conflicts.length })} testId="service-conflicts" className="border-rose-300">
          <ConflictList conflicts={conflicts} timezone={business.timezone} resolveAction={resolveConflictAction} />
        </Card>
      )}
      {user.role === "admin" && (
        <Card title={ts("serviceStaff")} testId="service-staff-card">
          <ServiceStaffForm serviceId={id} policy={editor.service.staffPolicy} staff={staffRows} />
        </Card>
      )}
      <Card title={t("schedule")} testId="schedule-card">
        <ScheduleEditor serviceId={id} initial={scheduleDraft(editor.schedule)} />
      </Card>
      <Card title={t("slots", { from: window.from, to: window.to })} testId="slots-card">
        <SlotManager
          serviceId={id}
          slots={editor.slots}
          timezone={business.timezone}
          today={dayRange({}, business.timezone, new Date(), { defaultDays: 1 }).from}
          total={editor.slotTotal}
        />
      </Card>
    </div>
  );
}
