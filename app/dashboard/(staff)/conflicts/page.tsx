import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { ConflictList } from "@/components/dashboard/services/conflict-list";
import { resolveConflictAction } from "@/lib/dashboard/actions/slot-conflicts";
import { Card, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { listSlotConflicts } from "@/lib/booking/slot-conflicts";

export const metadata = { title: "时段冲突 Conflicts" };

/** Booked slots that a schedule, holiday or capacity edit no longer fits: staff cancel (with notice) or keep them. */
export default async function ConflictsPage() {
  await requireStaffPage("/dashboard/conflicts");
  const db = getDb();
  const [t, business, conflicts] = await Promise.all([getTranslations("dash.conflicts"), currentBusiness(db), listSlotConflicts(db)]);
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} subtitle={t("subtitle")} testId="conflicts-title" />
      <Card>
        <ConflictList conflicts={conflicts} timezone={business.timezone} resolveAction={resolveConflictAction} showService />
      </Card>
    </div>
  );
}
