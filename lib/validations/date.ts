import { z } from "zod";

/** Calendar days a booking system has any business with: year 0000 or 9999 is input to refuse, not to compute with. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2999;

/** A real calendar date, YYYY-MM-DD, between 2000 and 2999 (2026-02-30 and 0000-01-01 are refused). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "dateFormat")
  .refine((d) => {
    const year = Number(d.slice(0, 4));
    return year >= FIRST_YEAR && year <= LAST_YEAR;
  }, "dateOutOfRange")
  .refine((d) => {
    // Checks run on after a failed one: this must not throw on "!" or "2026-13-45".
    const at = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === d;
  }, "noSuchDate");
