import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { AppointmentsList } from "@/components/dashboard/appointments-list";
import { CustomerForm } from "@/components/dashboard/customers/customer-form";
import { formatDateTime } from "@/components/format";
import { listLabels } from "@/components/dashboard/labels";
import { Card, Facts, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { customerGroups, getCustomerDetail } from "@/lib/customers/detail";
import { isAppError } from "@/lib/errors";
import { CustomerPasses } from "@/components/dashboard/passes/customer-passes";
import { PassHistory } from "@/components/passes/pass-history";
import { passRefundFen } from "@/lib/passes/adjust-pass";
import { customerPassRows, listPlans, passHistory, toPassDto, toPlanDto } from "@/lib/passes/queries";
import { adjustPassAction, refundPassAction, sellPassAction, updateCustomerAction } from "./actions";
import { recordPiiView, revealedFields } from "@/lib/pii/reveal";

export const metadata = { title: "客户 Customer" };

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireStaffPage(`/dashboard/customers/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  const detail = await getCustomerDetail(db, id).catch((e) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  await recordPiiView(db, {
    viewerId: viewer.id,
    entityType: "user",
    entityId: detail.customer.id,
    fields: revealedFields({ phone: detail.customer.phone }),
    via: "dashboard",
  });
  const [business, t, tp, locale, labels, groups, cards] = await Promise.all([
    currentBusiness(db),
    getTranslations("dash.customers"),
    getTranslations("dash.passes"),
    getLocale(),
    listLabels(),
    customerGroups(db),
    customerPassRows(db, id),
  ]);
  const moves = await passHistory(db, { customerId: id }, 50);
  const { timezone } = business;
  const plans = (await listPlans(db, business.id, true)).map(toPlanDto);
  const c = detail.customer;
  return (
    <div className="space-y-4">
      <PageHeader title={c.name} subtitle={[c.phone, c.email].filter(Boolean).join(" · ")} testId="customer-title" />
      <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
        <Card title={t("history")}>
          <dl className="mb-3 grid grid-cols-2 gap-2 text-center text-sm sm:grid-cols-5" data-testid="customer-counts">
            {(["total", "upcoming", "completed", "noShow", "cancelled"] as const).map((k) => (
              <div key={k} className="rounded-lg bg-stone-50 p-2" data-testid={`count-${k}`}>
                <dt className="text-xs text-stone-500">{t(`counts.${k}`)}</dt>
                <dd className={`text-lg font-semibold ${k === "noShow" && detail.counts.noShow > 0 ? "text-rose-700" : ""}`}>
                  {detail.counts[k]}
                </dd>
              </div>
            ))}
          </dl>
          <AppointmentsList
            rows={detail.history}
            locale={locale}
            timezone={timezone}
            labels={{ ...labels, empty: t("noHistory") }}
            style="short"
          />
        </Card>
        <div className="space-y-4">
          <Card title={t("profile")}>
            <Facts
              items={[
                [t("since"), formatDateTime(c.createdAt, locale, timezone, "date")],
                [t("language"), c.locale],
                [t("role"), c.role],
              ]}
            />
          </Card>
          <Card title={tp("customerCards")} testId="customer-cards">
            <CustomerPasses
              customerId={c.id}
              passes={cards.map((p) => ({ ...toPassDto(p), refundFen: passRefundFen(p) }))}
              plans={plans}
              sell={sellPassAction}
              adjust={adjustPassAction}
              refund={refundPassAction}
            />
            <div className="mt-4 border-t border-stone-100 pt-3">
              <PassHistory rows={moves} locale={locale} timezone={timezone} />
            </div>
          </Card>
          <Card title={t("edit")}>
            <CustomerForm customerId={c.id} notes={c.notes} groups={c.groups} knownGroups={groups} action={updateCustomerAction} />
          </Card>
        </div>
      </div>
    </div>
  );
}
