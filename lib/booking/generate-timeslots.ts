import "server-only";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { businesses, schedules, services, timeslots } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { invalidateGenerations } from "@/lib/cache";
import { availabilityKey, localDate } from "./availability-cache";
import { slotCapacity, staffCount } from "@/lib/booking/staff-slots";
import { serviceSlots } from "./slots";

/**
 * Materialises a service's schedule as timeslots for `days` local dates from `from`
 * (default: today in the business zone), business holidays left out. Running it twice inserts
 * nothing new: the unique (service_id, starts_at) index absorbs the repeats.
 */
export async function generateTimeslots(
  db: DbOrTx,
  serviceId: string,
  opts: { from?: string; days?: number; now?: Date } = {},
): Promise<{ created: number; considered: number }> {
  const [row] = await db
    .select({ service: services, schedule: schedules, timezone: businesses.timezone, holidays: businesses.holidays })
    .from(services)
    .innerJoin(businesses, eq(businesses.id, services.businessId))
    .leftJoin(schedules, eq(schedules.serviceId, services.id))
    .where(eq(services.id, serviceId))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "serviceNotFound");
  if (!row.schedule) return { created: 0, considered: 0 };
  const { schedule, timezone, holidays } = row;
  const service = { ...row.service, capacity: slotCapacity(row.service.capacity, await staffCount(db, serviceId)) };
  const now = opts.now ?? new Date();
  const from = opts.from ?? DateTime.fromJSDate(now, { zone: timezone }).toISODate();
  if (!from) throw new AppError("VALIDATION_FAILED", "Invalid start date");
  const slots = serviceSlots(service, {
    schedule,
    timezone,
    from,
    days: opts.days ?? schedule.windowDays,
    now,
    closedDates: holidays.map((h) => h.date),
  });
  if (slots.length === 0) return { created: 0, considered: 0 };
  let created = 0;
  const touchedDays = new Set<string>();
  // Chunked so a long window stays within the bind-parameter limit.
  for (let i = 0; i < slots.length; i += 500) {
    const chunk = slots.slice(i, i + 500);
    const inserted = await db
      .insert(timeslots)
      .values(
        chunk.map((s) => ({
          serviceId: service.id,
          resourceId: service.resourceId,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          capacity: s.capacity,
        })),
      )
      .onConflictDoNothing({ target: [timeslots.serviceId, timeslots.startsAt] })
      .returning({ startsAt: timeslots.startsAt });
    created += inserted.length;
    for (const r of inserted) touchedDays.add(localDate(r.startsAt, timezone));
  }
  await invalidateGenerations([...touchedDays].map((d) => availabilityKey(service.id, d)));
  return { created, considered: slots.length };
}
