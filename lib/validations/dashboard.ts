import { z } from "zod";
import { phoneField } from "@/lib/validations/phone";
import { calendarDate } from "./date";
import { scheduleSchema } from "./service";

/** Shared by the dashboard's forms (FormData strings) and its actions and staff API routes. */

const blank = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);
const optionalText = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional());
const templateId = /^[A-Za-z0-9_-]{8,64}$/;
const localDate = calendarDate;

/** "288", "288.5", "¥288.50" → 28850 fen; staff type yuan, the database keeps fen. */
export const yuan = z.preprocess(
  (v) => (typeof v === "string" ? v.replace(/[¥,\s]/g, "") : v),
  z.coerce
    .number({ error: "amountRequired" })
    .min(0, "amountNegative")
    .max(1_000_000, "amountTooLarge")
    .transform((n) => Math.round(n * 100)),
);

/** A JSON document posted in one hidden input by the client-side editors. */
export const jsonField = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "invalidJson" });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const idSchema = z.object({ bookingId: z.uuid() });
/** The hidden `id` of an editor form: blank on a new row. */
export const rowIdSchema = z.object({ id: z.preprocess(blank, z.uuid().optional()) });
export const reasonSchema = z.object({ bookingId: z.uuid(), reason: optionalText(500) });
export const confirmSchema = z.object({
  bookingId: z.uuid(),
  reason: z.string().trim().min(1, "reasonRequired").max(500),
});
export const cancelSchema = confirmSchema;
export const checkInSchema = z.object({ code: z.string().trim().min(4, "bookingCodeRequired").max(20) });
export const rescheduleSchema = z.object({ bookingId: z.uuid(), timeslotId: z.uuid("chooseNewSlot") });
export const manualRefundSchema = z.object({
  bookingId: z.uuid(),
  amountFen: yuan.refine((n) => n > 0, "refundPositive"),
  reason: z.string().trim().min(1, "reasonRequired").max(500),
});

export const refundIdSchema = z.object({ refundId: z.uuid() });

export const deskMethodSchema = z.enum(["cash", "card", "other"], "chooseDeskMethod");
/** The dashboard's "record a payment" form: yuan typed, blank for the whole balance. */
export const deskPaymentSchema = z.object({
  bookingId: z.uuid(),
  method: deskMethodSchema,
  amountFen: z.preprocess((v) => (v === "" ? undefined : v), yuan.refine((n) => n > 0, "deskAmountPositive").optional()),
  note: optionalText(500),
});
/** POST /api/v1/staff/bookings/{id}/payments: fen, the balance due when left out. */
export const deskPaymentBodySchema = z.object({
  method: deskMethodSchema,
  amountFen: z.int().positive().max(100_000_000).optional(),
  note: z.string().trim().max(500).optional(),
});
/** POST …/confirm: the reason, and optionally how and how much was taken (the amount due, method "other", by default). */
export const confirmOfflineBodySchema = z.object({
  reason: z.string().trim().max(500).optional(),
  method: deskMethodSchema.optional(),
  amountFen: z.int().positive().max(100_000_000).optional(),
});
export const deskRefundSchema = z.object({ refundId: z.uuid(), note: optionalText(500) });

export const newCustomerSchema = z
  .object({
    name: z.string().trim().min(1, "personNameRequired").max(60),
    phone: z.preprocess(blank, phoneField.optional()),
    email: z.preprocess(
      blank,
      z
        .email("emailInvalid")
        .transform((v) => v.toLowerCase())
        .optional(),
    ),
  })
  .refine((v) => v.phone !== undefined || v.email !== undefined, {
    message: "phoneOrEmail",
    path: ["phone"],
  });
export type NewCustomerInput = z.infer<typeof newCustomerSchema>;

/**
 * How a booking made by staff is paid: hold (the customer pays online within the hold, told by SMS),
 * desk (到店付: confirmed now, the balance due at the visit), cash (已收现金: confirmed, the cash
 * recorded), pass (会员卡: the customer's card pays; what it leaves is due at the desk).
 */
export const onBehalfPaymentSchema = z.enum(["hold", "desk", "cash", "pass"]);
export type OnBehalfPayment = z.infer<typeof onBehalfPaymentSchema>;

export const bookOnBehalfSchema = z
  .object({
    timeslotId: z.uuid("chooseSlot"),
    customerId: z.uuid("chooseCustomer"),
    seats: z.coerce.number().int().min(1).max(50).default(1),
    fields: z.record(z.string(), z.unknown()).default({}),
    payment: onBehalfPaymentSchema.default("hold"),
    passId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid("choosePass").optional()),
  })
  .refine((v) => v.payment !== "pass" || v.passId !== undefined, { message: "choosePass", path: ["passId"] });

export const customerPassesSchema = z.object({ customerId: z.uuid("chooseCustomer"), serviceId: z.uuid() });

export const scheduleFormSchema = scheduleSchema.extend({ serviceId: z.uuid() });
export const generateFormSchema = z.object({
  serviceId: z.uuid(),
  from: z.preprocess(blank, localDate.optional()),
  days: z.coerce.number().int().min(1).max(366),
});
export const slotStatusSchema = z.object({
  slotIds: z.array(z.uuid()).min(1, "chooseSlots").max(500),
  status: z.enum(["open", "closed"]),
});

export const dryRunSchema = z.object({
  customerId: z.uuid("chooseCustomer"),
  timeslotId: z.uuid("chooseSlot"),
});

export const customerUpdateSchema = z.object({
  customerId: z.uuid(),
  notes: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().trim().max(2000)),
  groups: z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[,，\s]+/).filter(Boolean) : v),
    z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(40)
          .regex(/^[\p{L}\p{N}_-]+$/u, "groupNameInvalid"),
      )
      .max(20),
  ),
});

export const notificationIdSchema = z.object({ notificationId: z.uuid() });

export const businessSettingsSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    timezone: z
      .string()
      .trim()
      .min(1)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, "unknownTimeZone"),
    locales: z.array(z.enum(["zh-CN", "en"])).min(1, "oneLanguage"),
    defaultLocale: z.enum(["zh-CN", "en"]),
    phone: optionalText(40),
    address: optionalText(200),
    /** WeChat subscribe-message template ids (公众号/小程序 back office → 订阅消息); blank: not sent by WeChat. */
    wechatTemplateConfirmed: z.preprocess(blank, z.string().trim().regex(templateId, "wechatTemplateId").optional()),
    wechatTemplateReminder: z.preprocess(blank, z.string().trim().regex(templateId, "wechatTemplateId").optional()),
  })
  .refine((s) => s.locales.includes(s.defaultLocale), {
    message: "defaultLanguageEnabled",
    path: ["defaultLocale"],
  });

export const staffRoleSchema = z.object({
  identifier: z.string().trim().min(3, "identifierRequired").max(254),
  role: z.enum(["customer", "staff", "admin"]),
});

/** Page filters (searchParams): every key optional, bad values dropped rather than failing the page. */
const catchUndef = <T extends z.ZodType>(s: T) => z.preprocess(blank, s.optional()).catch(undefined);
export const rangeFilterSchema = z.object({ from: catchUndef(localDate), to: catchUndef(localDate) });
export const pageParam = z.coerce.number().int().min(1).max(10_000).catch(1);

export const bookingFilterSchema = rangeFilterSchema.extend({
  q: catchUndef(z.string().trim().max(100)),
  status: catchUndef(z.enum(["pending_payment", "confirmed", "completed", "no_show", "expired", "cancelled"])),
  serviceId: catchUndef(z.uuid()),
  resourceId: catchUndef(z.uuid()),
  customerId: catchUndef(z.uuid()),
  page: pageParam,
});
export type BookingFilter = z.infer<typeof bookingFilterSchema>;

export const paymentFilterSchema = rangeFilterSchema.extend({
  q: catchUndef(z.string().trim().max(100)),
  status: catchUndef(z.enum(["pending", "paid", "closed", "failed", "partially_refunded", "refunded"])),
  provider: catchUndef(z.enum(["alipay", "wechat", "sandbox", "paypal", "desk"])),
  page: pageParam,
});
export type PaymentFilter = z.infer<typeof paymentFilterSchema>;

export const messageFilterSchema = z.object({
  status: catchUndef(z.enum(["pending", "sent", "failed", "dead", "cancelled"])),
  channel: catchUndef(z.enum(["email", "sms", "wechat", "in_app"])),
  q: catchUndef(z.string().trim().max(100)),
  page: pageParam,
});
export type MessageFilter = z.infer<typeof messageFilterSchema>;

export const auditFilterSchema = rangeFilterSchema.extend({
  entityType: catchUndef(z.string().trim().max(40)),
  action: catchUndef(z.string().trim().max(60)),
  entityId: catchUndef(z.string().trim().max(80)),
  actor: catchUndef(z.string().trim().max(100)),
  page: pageParam,
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** 我的日程: a week from `date`; admins may narrow it to one staff member. */
export const scheduleQuerySchema = z.object({
  date: catchUndef(localDate),
  staff: catchUndef(z.uuid()),
});

export const calendarQuerySchema = z.object({
  date: catchUndef(localDate),
  view: z.enum(["day", "week", "month"]).catch("week"),
  serviceId: catchUndef(z.uuid()),
  resourceId: catchUndef(z.uuid()),
  /** The day view with one column per staff member or room. */
  by: catchUndef(z.enum(["resource"])),
});

/** Parses the JSON a client editor put in a hidden input; malformed JSON is a validation error, not a crash. */
function json(value: FormDataEntryValue | null, fallback: unknown): unknown {
  if (typeof value !== "string" || value.trim() === "") return fallback;
  try {
    return JSON.parse(value);
  } catch {
    return { __invalidJson: value.slice(0, 40) };
  }
}

/** A money input in yuan ("288", "288.5", "¥288.50") as fen; blank is 0, anything else is left for the schema to reject. */
export function fenFromYuan(value: FormDataEntryValue | null): unknown {
  if (typeof value !== "string") return value ?? undefined;
  const text = value.replace(/[¥,\s]/g, "");
  if (text === "") return 0;
  const n = Number(text);
  return Number.isFinite(n) ? Math.round(n * 100) : text;
}

const formText = (fd: FormData, key: string) => (typeof fd.get(key) === "string" ? String(fd.get(key)) : undefined);
const formChecked = (fd: FormData, key: string) => ["on", "true", "1"].includes(String(fd.get(key)));
/** A select or text input whose blank value means "none" (null), as the JSON API says it. */
const formNullable = (fd: FormData, key: string) => {
  const v = formText(fd, key)?.trim();
  return v === undefined ? undefined : v === "" ? null : v;
};

/**
 * The service editor's FormData as createServiceSchema / updateServiceSchema input (lib/validations/service.ts),
 * the same shape the REST API takes: prices typed in yuan become fen, blank selects null, the checkbox a
 * boolean, and the client editors' fields and rules come as JSON.
 */
export const serviceFormFromData = (fd: FormData) => ({
  name: formText(fd, "name"),
  nameEn: formNullable(fd, "nameEn"),
  description: formText(fd, "description"),
  descriptionEn: formNullable(fd, "descriptionEn"),
  kind: formText(fd, "kind"),
  durationMin: formText(fd, "durationMin"),
  priceFen: fenFromYuan(fd.get("priceFen")),
  depositFen: fenFromYuan(fd.get("depositFen")),
  capacity: formText(fd, "capacity"),
  bufferBeforeMin: formText(fd, "bufferBeforeMin"),
  bufferAfterMin: formText(fd, "bufferAfterMin"),
  resourceId: formNullable(fd, "resourceId"),
  active: formChecked(fd, "active"),
  fields: json(fd.get("fields"), []),
  rules: json(fd.get("rules"), {}),
  reminderOffsetsMin: String(fd.get("reminderOffsetsMin") ?? "")
    .split(/[,，\s]+/)
    .filter(Boolean),
});

/** A resource row's FormData as resourceSchema input (lib/validations/service.ts): blank account is none. */
export const resourceFormFromData = (fd: FormData) => ({
  kind: formText(fd, "kind"),
  name: formText(fd, "name"),
  userId: formNullable(fd, "userId"),
  active: formChecked(fd, "active"),
});

/** A staff member's hours form: empty weekly hours (no ranges on any day) means the services' hours. */
export const staffHoursFormFromData = (fd: FormData) => ({
  weeklyHours: fd.get("ownHours") === "on" ? json(fd.get("weeklyHours"), {}) : null,
  breaks: json(fd.get("breaks"), {}),
  dateOverrides: json(fd.get("dateOverrides"), {}),
});

export const scheduleFormFromData = (fd: FormData) => ({
  ...Object.fromEntries(fd),
  weeklyHours: json(fd.get("weeklyHours"), {}),
  breaks: json(fd.get("breaks"), {}),
  dateOverrides: json(fd.get("dateOverrides"), {}),
});

export const runReconciliationSchema = z.object({ gateway: z.enum(["alipay", "wechat"]), date: z.iso.date() });

export const resolveDifferenceSchema = z.object({
  itemId: z.uuid(),
  action: z.enum(["accept_gateway", "explain"]),
  note: z.string().trim().min(1).max(300),
});
