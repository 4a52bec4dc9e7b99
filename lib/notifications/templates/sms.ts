import type { Locale } from "@/lib/i18n/config";
import { formatFen } from "@/lib/money";
import type { AnyEventData, NotificationEvent } from "./events";
import { formatWhen, smsValue } from "./format";

/**
 * SMS in China goes out only through templates registered with the provider: a template code plus
 * named variables. The codes are per deployment (each account registers its own), so the map is
 * configurable; these defaults are placeholders to replace with the approved codes.
 */
export type SmsTemplateCodes = Record<NotificationEvent, string>;

export const defaultSmsTemplateCodes: SmsTemplateCodes = {
  booking_confirmed: "SMS_YUYUE_CONFIRMED",
  booking_pending_payment: "SMS_YUYUE_PENDING_PAYMENT",
  payment_received: "SMS_YUYUE_PAYMENT_RECEIVED",
  booking_cancelled: "SMS_YUYUE_CANCELLED",
  booking_rescheduled: "SMS_YUYUE_RESCHEDULED",
  refund_issued: "SMS_YUYUE_REFUND_ISSUED",
  hold_expired: "SMS_YUYUE_HOLD_EXPIRED",
  waitlist_offer: "SMS_YUYUE_WAITLIST_OFFER",
  reminder: "SMS_YUYUE_REMINDER",
  staff_new_booking: "SMS_YUYUE_STAFF_NEW_BOOKING",
  staff_booking_cancelled: "SMS_YUYUE_STAFF_CANCELLED",
  staff_refund_problem: "SMS_YUYUE_STAFF_REFUND_PROBLEM",
};

type Param = "name" | "service" | "time" | "code" | "amount" | "refund" | "hours";

/**
 * The variables each registered template must use, and nothing else: the provider rejects a
 * message whose params do not match its template. Pay links are not sent by SMS (links need a
 * separately approved variable type and rarely fit in 35 characters); the code identifies the booking.
 */
export const smsTemplateParams: Record<NotificationEvent, readonly Param[]> = {
  booking_confirmed: ["name", "service", "time", "code"],
  booking_pending_payment: ["name", "service", "time", "amount", "code"],
  payment_received: ["name", "service", "amount", "code"],
  booking_cancelled: ["name", "service", "time", "refund"],
  booking_rescheduled: ["name", "service", "time", "code"],
  refund_issued: ["name", "service", "refund", "code"],
  hold_expired: ["name", "service", "time"],
  waitlist_offer: ["name", "service", "time"],
  reminder: ["name", "service", "time", "hours"],
  staff_new_booking: ["name", "service", "time", "code"],
  staff_booking_cancelled: ["name", "service", "time", "code"],
  staff_refund_problem: ["name", "refund", "code"],
};

export type SmsPayload = { templateCode: string; params: Record<string, string> };

export function buildSms(event: NotificationEvent, data: AnyEventData, locale: Locale, codes: SmsTemplateCodes): SmsPayload {
  const values: Record<Param, () => string> = {
    name: () => data.customerName,
    service: () => data.serviceName,
    time: () => formatWhen(data.startsAt, data.timezone, locale),
    code: () => data.bookingCode,
    amount: () => formatFen(data.amountFen ?? 0),
    refund: () => formatFen(data.refundFen ?? 0),
    hours: () => String(data.hoursBefore ?? 0),
  };
  const params: Record<string, string> = {};
  for (const name of smsTemplateParams[event]) params[name] = smsValue(values[name]());
  return { templateCode: codes[event], params };
}
