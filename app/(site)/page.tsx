import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getReadReplicaDb } from "@/db/client";
import { ServiceGrid } from "@/components/booking/service-grid";
import { listActiveServices } from "@/lib/services/queries";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const [t, services] = await Promise.all([getTranslations("home"), listActiveServices(getReadReplicaDb())]);
  return (
    <div className="space-y-8">
      <section className="rounded-2xl bg-gradient-to-br from-brand-500 to-brand-700 px-6 py-10 text-white">
        <h1 className="text-3xl font-bold">{t("title")}</h1>
        <p className="mt-2 max-w-xl text-brand-50">{t("subtitle")}</p>
        <Link href="/services" className="mt-5 inline-block rounded-full bg-white px-5 py-2 font-medium text-brand-700">
          {t("cta")}
        </Link>
      </section>
      <section>
        <h2 className="mb-3 text-xl font-semibold">{t("servicesTitle")}</h2>
        <ServiceGrid services={services} empty={t("empty")} />
      </section>
    </div>
  );
}
