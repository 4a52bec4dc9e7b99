import { getTranslations } from "next-intl/server";
import { getReadReplicaDb } from "@/db/client";
import { ServiceGrid } from "@/components/booking/service-grid";
import { listActiveServices } from "@/lib/services/queries";

export const dynamic = "force-dynamic";

export default async function ServicesPage() {
  const [t, services] = await Promise.all([getTranslations("home"), listActiveServices(getReadReplicaDb())]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("servicesTitle")}</h1>
      <ServiceGrid services={services} empty={t("empty")} />
    </div>
  );
}
