import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { CouponForm } from "@/components/dashboard/passes/coupon-form";
import { PlanForm } from "@/components/dashboard/passes/plan-form";
import { PassSales } from "@/components/dashboard/passes/pass-sales";
import { Card, EmptyState, PageHeader } from "@/components/dashboard/ui";
import { requireStaffPage } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { listCoupons, listPlans, passSalesBetween, toCouponDto, toPlanDto } from "@/lib/passes/queries";
import { serviceOptions } from "@/lib/services/staff-queries";
import { saveCouponAction, savePlanAction } from "./actions";

export const metadata = { title: "会员卡 Cards" };

export default async function PassesPage() {
  await requireStaffPage("/dashboard/passes");
  const db = getDb();
  const business = await currentBusiness(db);
  const now = new Date();
  const [t, locale, plans, coupons, services, sales] = await Promise.all([
    getTranslations("dash.passes"),
    getLocale(),
    listPlans(db, business.id),
    listCoupons(db, business.id),
    serviceOptions(db),
    passSalesBetween(db, business.id, new Date(now.getTime() - 30 * 86_400_000), now),
  ]);
  const options = services.map((s) => ({ id: s.id, name: s.name }));
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <Card title={t("plans")} testId="plans">
        <div className="space-y-3 divide-y divide-stone-100">
          <PlanForm services={options} action={savePlanAction} />
          {plans.map((p) => (
            <div key={p.id} className="pt-3">
              <PlanForm initial={toPlanDto(p)} services={options} action={savePlanAction} />
            </div>
          ))}
        </div>
        <p className="mt-2 text-xs text-stone-500">{t("planHint")}</p>
      </Card>
      <Card title={t("coupons")} testId="coupons">
        <div className="space-y-3 divide-y divide-stone-100">
          <CouponForm services={options} action={saveCouponAction} />
          {coupons.map((c) => (
            <div key={c.id} className="pt-3">
              <CouponForm initial={toCouponDto(c)} services={options} action={saveCouponAction} />
            </div>
          ))}
        </div>
        <p className="mt-2 text-xs text-stone-500">{t("couponHint")}</p>
      </Card>
      <Card title={t("sales")} testId="pass-sales">
        {sales.length === 0 ? (
          <EmptyState>{t("noSales")}</EmptyState>
        ) : (
          <PassSales rows={sales} locale={locale} timezone={business.timezone} />
        )}
      </Card>
    </div>
  );
}
