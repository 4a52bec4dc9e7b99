import "server-only";
import { DateTime } from "luxon";
import { loadSlotsAction } from "./booking-actions";

/** Most businesses run on Shanghai time; availability answers with the real zone and we re-ask if it differs. */
const ASSUMED_ZONE = "Asia/Shanghai";
const WINDOW_DAYS = 21;

/**
 * Three weeks of slots from `requested` (or today) in the business zone, so the picker opens on a day
 * with its times and the date strip's marks in the page's HTML; later days load as the customer moves.
 * `firstOpen` is the first day with an open slot when no date was asked for (today may be fully booked).
 */
export async function initialSlots(serviceId: string, requested?: string, excludeBookingId?: string) {
  const range = (zone: string) => {
    const today = DateTime.now().setZone(zone).startOf("day");
    const asked = requested ? DateTime.fromISO(requested, { zone }) : null;
    const start = asked?.isValid && asked > today ? asked : today;
    return { from: start.toISODate() ?? "", to: start.plus({ days: WINDOW_DAYS - 1 }).toISODate() ?? "" };
  };
  let zone = ASSUMED_ZONE;
  let r = range(zone);
  let res = await loadSlotsAction({ serviceId, ...r, excludeBookingId });
  if (res.ok && res.timezone !== zone) {
    zone = res.timezone;
    r = range(zone);
    res = await loadSlotsAction({ serviceId, ...r, excludeBookingId });
  }
  const firstOpen =
    res.ok && !requested
      ? res.slots
          .filter((s) => s.state === "open")
          .map((s) => DateTime.fromISO(s.startsAt, { zone }).toISODate() ?? "")
          .sort()[0]
      : undefined;
  return {
    zone,
    date: r.from,
    firstOpen,
    initial: res.ok ? { slots: res.slots, ...r } : null,
    error: res.ok ? null : res.message,
  };
}
