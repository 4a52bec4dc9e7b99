import "server-only";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { getDb, type Db } from "@/db/client";
import { businesses, type Holiday } from "@/db/schema";
import { audit } from "@/lib/audit";
import { invalidateReconciled, reconcileBusiness, sumCounts, type ReconcileCounts } from "@/lib/booking/reconcile-slots";
import { AppError } from "@/lib/errors";
import type { HolidayInput } from "@/lib/validations/schedule";
import { currentBusiness } from "./queries";

export type HolidaysChange = { holidays: Holiday[]; reconciled: ReconcileCounts };

/**
 * Adds (or renames) one business-wide holiday, or removes one, and reconciles every service's future
 * slots in the same transaction: a holiday closes the day for all of them, as a date override with no
 * hours would for one. The business row is locked while the list is read and written, so two staff
 * adding days at once both keep theirs.
 */
async function changeHolidays(
  db: Db,
  actorId: string,
  now: Date,
  action: "business.holiday_added" | "business.holiday_removed",
  date: string,
  edit: (list: Holiday[]) => Holiday[],
): Promise<HolidaysChange> {
  const { id } = await currentBusiness(db);
  const { holidays, results } = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ holidays: businesses.holidays, timezone: businesses.timezone })
      .from(businesses)
      .where(eq(businesses.id, id))
      .for("no key update");
    if (!row) throw new AppError("NOT_FOUND", "businessNotFound");
    const next = edit(row.holidays).sort((a, b) => a.date.localeCompare(b.date));
    await tx.update(businesses).set({ holidays: next }).where(eq(businesses.id, id));
    // Only that day's slots can change: the rest of every window is already in line.
    const day = DateTime.fromISO(date, { zone: row.timezone });
    const results = await reconcileBusiness(tx, id, now, { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate() });
    const reconciled = sumCounts(results);
    await audit(tx, { actorId, action, entityType: "business", entityId: id, data: { date, ...reconciled } });
    return { holidays: next, results };
  });
  await invalidateReconciled(db, results);
  return { holidays, reconciled: sumCounts(results) };
}

export function addHoliday(input: HolidayInput, actorId: string, db: Db = getDb(), now = new Date()): Promise<HolidaysChange> {
  return changeHolidays(db, actorId, now, "business.holiday_added", input.date, (list) => [
    ...list.filter((h) => h.date !== input.date),
    { date: input.date, name: input.name },
  ]);
}

export function removeHoliday(date: string, actorId: string, db: Db = getDb(), now = new Date()): Promise<HolidaysChange> {
  return changeHolidays(db, actorId, now, "business.holiday_removed", date, (list) => {
    if (!list.some((h) => h.date === date)) throw new AppError("NOT_FOUND", "holidayNotFound");
    return list.filter((h) => h.date !== date);
  });
}

export async function listHolidays(db: Db = getDb()): Promise<Holiday[]> {
  return (await currentBusiness(db)).holidays;
}
