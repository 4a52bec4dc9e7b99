import type { NotificationEvent } from "./events";
import type { SmsPayload, SmsTemplateCodes } from "./sms";

/** Event data after formatting: every time in the business zone, every amount as "¥88.00". */
export type Facts = {
  customerName: string;
  serviceName: string;
  businessName: string;
  bookingCode: string;
  /** The appointment span, e.g. "11月26日 周四 14:30–15:30". */
  when: string;
  /** Business name, plus the address when there is one. */
  place: string;
  amount?: string;
  /** Only set for a refund above zero. */
  refund?: string;
  payUrl?: string;
  payBy?: string;
  previousWhen?: string;
  inHours?: string;
  reason?: string;
  customerPhone?: string;
  manageUrl?: string;
};

export type Copy = {
  title: string;
  lead: string;
  action?: { label: string; url: string };
  note?: string;
};

export type Labels = Record<
  "service" | "time" | "place" | "code" | "amount" | "refund" | "previous" | "customer" | "phone" | "reason" | "manage",
  string
> & { separator: string };

export type LocaleCopy = {
  labels: Labels;
  greeting: (facts: Facts) => string;
  footer: (facts: Facts) => string;
  events: Record<NotificationEvent, (facts: Facts) => Copy>;
};

export type RenderedMessage = {
  /** Email subject and in-app title. */
  title: string;
  /** Plain-text body: the email text part and the in-app body. */
  text: string;
  html: string;
  sms: SmsPayload;
};

export type RenderOptions = {
  /** Overrides for the registered SMS template codes, per event. */
  smsTemplateCodes?: Partial<SmsTemplateCodes>;
};
