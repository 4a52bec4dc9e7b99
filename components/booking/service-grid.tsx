import type { Service } from "@/db/schema";
import { toServiceDto } from "@/lib/services/queries";
import { ServiceCard } from "./service-card";

export function ServiceGrid({ services, empty }: { services: Service[]; empty: string }) {
  if (services.length === 0) return <p className="text-stone-500">{empty}</p>;
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {services.map((s) => (
        <ServiceCard key={s.id} service={toServiceDto(s)} />
      ))}
    </div>
  );
}
