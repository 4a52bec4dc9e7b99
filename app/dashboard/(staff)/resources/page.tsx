import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { ResourceForm } from "@/components/dashboard/resources/resource-form";
import { Card, EmptyState, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { listResources } from "@/lib/resources/queries";
import { listStaffAccounts } from "@/lib/business/settings";
import { saveResourceAction } from "./actions";

export const metadata = { title: "资源 Resources" };

export default async function ResourcesPage() {
  const user = await requireStaffPage("/dashboard/resources");
  const db = getDb();
  const [t, ts, resources, staff] = await Promise.all([
    getTranslations("dash.resources"),
    getTranslations("dash.staff"),
    listResources(db),
    listStaffAccounts(db),
  ]);
  const accounts = staff.map((s) => ({ id: s.id, name: s.name }));
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <Card title={t("new")}>
        <ResourceForm initial={{ kind: "staff", name: "", userId: null, active: true }} staff={accounts} action={saveResourceAction} />
      </Card>
      <Card title={t("list", { count: resources.length })}>
        {resources.length === 0 ? (
          <EmptyState>{t("empty")}</EmptyState>
        ) : (
          <div className="space-y-2 divide-y divide-stone-100">
            {resources.map((r) => (
              <div key={r.id} className="pt-2">
                <ResourceForm
                  initial={{ id: r.id, kind: r.kind, name: r.name, userId: r.userId, active: r.active }}
                  staff={accounts}
                  action={saveResourceAction}
                />
                {r.kind === "staff" && user.role === "admin" && (
                  <Link href={`/dashboard/resources/${r.id}`} className="text-sm text-brand-600 underline" data-testid="staff-manage">
                    {r.title ? `${r.title} · ` : ""}
                    {ts("manage")}
                  </Link>
                )}
              </div>
            ))}
          </div>
        )}
      </Card>
    </div>
  );
}
