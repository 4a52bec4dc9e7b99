import type { ActionResult } from "@/lib/actions";
import type { AvailableSlot } from "@/lib/booking/availability";

/** What the customer site's slot loader answers for a range of local dates. */
export type SlotsResult = { ok: true; timezone: string; slots: AvailableSlot[] } | { ok: false; message: string };
export type LoadSlots = (input: { serviceId: string; from: string; to: string }) => Promise<SlotsResult>;

/** Booking and reschedule forms: a readable message, every violated rule, errors per field name. */
export type BookingFormState = ActionResult | null;

/** The customer's cancel form. */
export type CancelState = ActionResult | null;

/** Custom answers travel as `field_<key>` so they never clash with the form's own inputs. */
export const FIELD_PREFIX = "field_";

/** A card the signed-in customer could pay this service with (the booker's "pay with" choice). */
export type BookerPass = {
  id: string;
  kind: "visits" | "value" | "membership";
  name: string;
  remainingUses?: number;
  balanceFen?: number;
  discountPercent?: number;
};

/** What a booking would cost with a card and/or a coupon: the total, what is paid online now, the discounts. */
export type ChargePreview = ActionResult<{ totalFen: number; dueFen: number; discountFen: number; passFen: number; passUses: number }>;
export type PreviewCharge = (input: { serviceId: string; seats: number; passId?: string; couponCode?: string }) => Promise<ChargePreview>;

/** What starting a payment answers: the QR code or page to open, or why not. */
export type PayState = ActionResult<{
  outTradeNo: string;
  qrDataUrl?: string;
  openUrl?: string;
  amountFen: number;
  /** WeChat JSAPI: getBrandWCPayRequest's arguments, signed by the server with the merchant key. */
  jsapi?: Record<string, string>;
}>;
