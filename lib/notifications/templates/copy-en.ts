import type { LocaleCopy } from "./types";

/** English copy. Facts arrive already formatted (times in the business zone, money as ¥). */
export const en: LocaleCopy = {
  labels: {
    service: "Service",
    time: "Time",
    place: "Where",
    code: "Booking code",
    amount: "Amount",
    refund: "Refund",
    previous: "Previously",
    customer: "Customer",
    phone: "Phone",
    reason: "Reason",
    manage: "View booking",
    separator: ": ",
  },
  greeting: (f) => `Hi ${f.customerName},`,
  footer: (f) => `${f.businessName} · booked with Yuyue`,
  events: {
    booking_confirmed: (f) => ({
      title: `Booking confirmed: ${f.serviceName}`,
      lead: `Your ${f.serviceName} at ${f.businessName} is confirmed for ${f.when}. Show booking code ${f.bookingCode} when you arrive.`,
    }),
    booking_pending_payment: (f) => ({
      title: `Payment needed: ${f.serviceName}`,
      lead: `We are holding ${f.serviceName} on ${f.when} for you. Please pay ${f.amount ?? ""}${f.payBy ? ` by ${f.payBy}` : " soon"}; unpaid holds are released automatically.`,
      action: f.payUrl ? { label: "Pay now", url: f.payUrl } : undefined,
    }),
    payment_received: (f) => ({
      title: `Payment received: ${f.amount ?? ""}`,
      lead: `We received your payment of ${f.amount ?? ""} for ${f.serviceName}. Your booking is confirmed.`,
    }),
    booking_cancelled: (f) => ({
      title: `Booking cancelled: ${f.serviceName}`,
      lead: `Your ${f.serviceName} at ${f.businessName} on ${f.when} has been cancelled.`,
      note: f.refund
        ? `A refund of ${f.refund} goes back to your original payment method; arrival time depends on the payment provider.`
        : undefined,
    }),
    booking_rescheduled: (f) => ({
      title: `Booking rescheduled: ${f.serviceName}`,
      lead: `Your ${f.serviceName} has moved from ${f.previousWhen ?? ""} to ${f.when}.`,
    }),
    refund_issued: (f) => ({
      title: `Refund issued: ${f.refund ?? ""}`,
      lead: `We issued a refund of ${f.refund ?? ""} for ${f.serviceName}. It goes back to your original payment method; arrival time depends on the payment provider.`,
    }),
    hold_expired: (f) => ({
      title: `Booking expired: ${f.serviceName}`,
      lead: `The hold on ${f.serviceName} for ${f.when} was released because payment was not completed in time. You are welcome to book again.`,
    }),
    waitlist_offer: (f) => ({
      title: `A seat is yours: ${f.serviceName}`,
      lead: f.amount
        ? `A seat opened up on ${f.serviceName} (${f.when}) and we are holding it for you. Please pay ${f.amount} by ${f.payBy ?? ""}; after that it goes to the next person waiting.`
        : `A seat opened up on ${f.serviceName} (${f.when}) and we are holding it for you. Please accept it by ${f.payBy ?? ""}; after that it goes to the next person waiting.`,
      action: f.payUrl ? { label: f.amount ? "Pay now" : "Accept", url: f.payUrl } : undefined,
    }),
    reminder: (f) => ({
      title: `Reminder: ${f.serviceName} ${f.inHours ?? ""}`,
      lead: `Your ${f.serviceName} starts ${f.inHours ?? ""} (${f.when}) at ${f.place}. Please arrive on time and show booking code ${f.bookingCode}.`,
    }),
    staff_new_booking: (f) => ({
      title: `New booking: ${f.customerName} · ${f.serviceName}`,
      lead: `${f.customerName} booked ${f.serviceName} for ${f.when}, booking code ${f.bookingCode}.`,
    }),
    staff_booking_cancelled: (f) => ({
      title: `Booking cancelled: ${f.customerName} · ${f.serviceName}`,
      lead: `${f.customerName}'s ${f.serviceName} on ${f.when} has been cancelled.`,
      note: f.refund ? `A refund of ${f.refund} will be issued.` : undefined,
    }),
    staff_refund_problem: (f) => ({
      title: `Refund needs attention: ${f.customerName} · ${f.refund ?? ""}`,
      lead: `The refund of ${f.refund ?? ""} for ${f.customerName}'s ${f.serviceName} (${f.when}, booking code ${f.bookingCode}) did not go through. Retry it from Payments in the dashboard, or settle it in the gateway's merchant platform.`,
    }),
  },
};
