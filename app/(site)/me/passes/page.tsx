import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { PassCard } from "@/components/passes/pass-card";
import { PassHistory } from "@/components/passes/pass-history";
import { requirePageUser } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { formatFen } from "@/lib/money";
import { listCustomerPasses, listPlans, passHistory } from "@/lib/passes/queries";

export const metadata = { title: "我的会员卡 My cards" };

export default async function MyPassesPage({ searchParams }: { searchParams: Promise<{ bought?: string }> }) {
  const user = await requirePageUser("/me/passes");
  const db = getDb();
  const business = await currentBusiness(db);
  const [t, locale, cards, history, plans] = await Promise.all([
    getTranslations("passes"),
    getLocale(),
    listCustomerPasses(db, user.id),
    passHistory(db, { customerId: user.id }, 50),
    listPlans(db, business.id, true),
  ]);
  const onSale = plans.filter((p) => p.priceFen > 0);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("myCards")}</h1>
      {(await searchParams).bought && (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="pass-bought">
          {t("bought")}
        </p>
      )}
      {cards.length === 0 ? (
        <p className="text-stone-500" data-testid="no-passes">
          {t("none")}
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2" data-testid="my-passes">
          {cards.map((p) => (
            <PassCard key={p.id} pass={p} locale={locale} timezone={business.timezone} />
          ))}
        </ul>
      )}
      {onSale.length > 0 && (
        <section className="space-y-2">
          <h2 className="font-semibold">{t("buyTitle")}</h2>
          <ul className="grid gap-3 sm:grid-cols-2">
            {onSale.map((p) => (
              <li
                key={p.id}
                className="flex items-center justify-between gap-2 rounded-xl border border-stone-200 bg-white p-4"
                data-testid="plan-on-sale"
              >
                <div>
                  <p className="font-medium">{p.name}</p>
                  <p className="text-sm text-stone-600">
                    {p.kind === "visits" && t("planVisits", { count: p.visits ?? 0 })}
                    {p.kind === "value" && t("planValue", { amount: formatFen(p.priceFen + p.bonusFen) })}
                    {p.kind === "membership" && t("discount", { percent: p.discountPercent ?? 0 })}
                    {p.validDays ? ` · ${t("planDays", { count: p.validDays })}` : ""}
                  </p>
                </div>
                <Link
                  href={`/me/passes/buy/${p.id}`}
                  className="shrink-0 rounded-full bg-brand-600 px-4 py-1.5 text-white hover:bg-brand-700"
                  aria-label={t("buyNamed", { name: p.name })}
                >
                  {t("buy", { amount: formatFen(p.priceFen) })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="space-y-2">
        <h2 className="font-semibold">{t("history")}</h2>
        <PassHistory rows={history} locale={locale} timezone={business.timezone} />
      </section>
      <Link href="/me" className="text-sm text-brand-600 underline">
        {t("back")}
      </Link>
    </div>
  );
}
