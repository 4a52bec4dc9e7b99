import "server-only";
import type { Tx } from "@/db/client";
import type { Booking } from "@/db/schema";
import type { SlotContext } from "./context";

export type BookingEvent =
  | { kind: "created"; booking: Booking; ctx: SlotContext }
  | { kind: "cancelled"; booking: Booking; refundFen: number; by: "customer" | "staff" }
  | { kind: "rescheduled"; booking: Booking; previous: Booking; ctx: SlotContext }
  | { kind: "expired"; booking: Booking };

type Listener = (tx: Tx, event: BookingEvent) => Promise<void>;
const globalForListeners = globalThis as unknown as { yuyueBookingListeners?: Listener[] };
const listeners = (globalForListeners.yuyueBookingListeners ??= []);

/**
 * Modules that react to booking changes inside the same transaction (the notification outbox,
 * payments) register here, so the booking core does not import them.
 */
export function onBookingWrite(listener: Listener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

export async function afterBookingWrite(tx: Tx, event: BookingEvent): Promise<void> {
  for (const listener of listeners) await listener(tx, event);
}
