import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { ServiceCard } from "@/components/booking/service-card";
import { listActiveServices, toServiceDto } from "@/lib/services/queries";

export const dynamic = "force-dynamic";

export default async function ServicesPage() {
  const [t, services] = await Promise.all([getTranslations("home"), listActiveServices(getDb())]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("servicesTitle")}</h1>
      {services.length === 0 ? (
        <p className="text-stone-500">{t("empty")}</p>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {services.map((s) => (
            <ServiceCard key={s.id} service={toServiceDto(s)} />
          ))}
        </div>
      )}
    </div>
  );
}
