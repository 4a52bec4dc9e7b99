import type { ActionResult } from "@/lib/actions";
import type { AvailableSlot } from "@/lib/booking/availability";
import type { FieldDefinition } from "@/lib/booking/fields";

export type Slot = AvailableSlot;
export type { FieldDefinition };

/** What the calendar's loader answers for a range of local dates. */
export type SlotsResult = { ok: true; timezone: string; slots: Slot[] } | { ok: false; message: string };
export type LoadSlots = (input: { serviceId: string; from: string; to: string }) => Promise<SlotsResult>;

/** Booking and reschedule forms: a readable message, every violated rule, errors per field name. */
export type BookingFormState = ActionResult | null;

/** Custom answers travel as `field_<key>` so they never clash with the form's own inputs. */
export const FIELD_PREFIX = "field_";
