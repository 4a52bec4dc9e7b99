import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { serviceDraft } from "@/components/dashboard/services/drafts";
import { ServiceForm } from "@/components/dashboard/services/service-form";
import { Card, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { listResources } from "@/lib/resources/queries";

export const metadata = { title: "新服务 New service" };

export default async function NewServicePage() {
  await requireStaffPage("/dashboard/services/new");
  const db = getDb();
  const [t, business, resources] = await Promise.all([getTranslations("dash.services"), currentBusiness(db), listResources(db)]);
  return (
    <div className="space-y-4">
      <PageHeader title={t("new")} subtitle={t("newHint")} />
      <Card>
        <ServiceForm
          initial={serviceDraft()}
          resources={resources.filter((r) => r.active).map((r) => ({ id: r.id, name: r.name }))}
          businessPolicy={business.policy}
        />
      </Card>
    </div>
  );
}
