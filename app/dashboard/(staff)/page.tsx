import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requireStaffPage } from "@/lib/auth/session";
import { searchCustomers } from "@/lib/customers/queries";

export const metadata = { title: "管理后台 Dashboard" };

export default async function DashboardPage() {
  // Each page checks the role itself: a layout guard alone does not protect a page.
  const user = await requireStaffPage("/dashboard");
  const [t, customers] = await Promise.all([getTranslations("dashboard"), searchCustomers(getDb(), { limit: 10, offset: 0 })]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold" data-testid="dashboard-title">{t("title")}</h1>
      <p>{t("welcome", { name: user.name })}</p>
      <section className="rounded-xl border border-stone-200 bg-white p-4">
        <h2 className="mb-2 font-semibold">{t("customers")}</h2>
        <ul className="divide-y divide-stone-100 text-sm">
          {customers.map((c) => (
            <li key={c.id} className="flex justify-between py-1.5">
              <span>{c.name}</span>
              <span className="text-stone-500">{c.phone ?? c.email}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
