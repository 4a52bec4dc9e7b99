import { z } from "zod";
import { fenFromYuan } from "./dashboard";

/** Codes are matched case-insensitively, without spaces: stored upper case. */
export const normalizeCouponCode = (code: string) => code.replace(/\s+/g, "").toUpperCase();

const fen = z.coerce.number().int().min(0, "amountNegative").max(100_000_000, "amountTooLarge");
const optionalInt = (min: number, max: number) =>
  z.preprocess((v) => (v === "" || v === undefined || v === null ? null : v), z.coerce.number().int().min(min).max(max).nullable());
const uuidList = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : (v ?? []),
  z.array(z.uuid()).max(200),
);

/** A plan staff define: a N-visit card, stored value with a bonus, or a membership with a discount (100 = free). */
export const passPlanSchema = z
  .object({
    kind: z.enum(["visits", "value", "membership"]),
    name: z.string().trim().min(1, "nameRequired").max(100),
    priceFen: fen,
    visits: optionalInt(1, 1000),
    bonusFen: fen.default(0),
    discountPercent: optionalInt(1, 100),
    serviceIds: uuidList.default([]),
    validDays: optionalInt(1, 3650),
    active: z.preprocess((v) => v === undefined || v === true || v === "on" || v === "true", z.boolean()).default(true),
  })
  .superRefine((p, ctx) => {
    if (p.kind === "visits" && !p.visits) ctx.addIssue({ code: "custom", message: "passVisitsRequired", path: ["visits"] });
    if (p.kind === "value" && p.priceFen + p.bonusFen <= 0)
      ctx.addIssue({ code: "custom", message: "passValueRequired", path: ["priceFen"] });
    if (p.kind === "membership" && !p.discountPercent) {
      ctx.addIssue({ code: "custom", message: "passDiscountRequired", path: ["discountPercent"] });
    }
    if (p.kind === "membership" && !p.validDays) ctx.addIssue({ code: "custom", message: "passValidDaysRequired", path: ["validDays"] });
  });
export type PassPlanInput = z.infer<typeof passPlanSchema>;

export const passIdSchema = z.object({ passId: z.uuid() });

/** A sale at the desk: who buys, how they paid. */
export const deskSaleSchema = z.object({
  planId: z.uuid(),
  customerId: z.uuid(),
  method: z.enum(["cash", "card", "other"]),
  note: z.string().trim().max(500).optional(),
});

/** Staff grant (positive) or take (negative) uses or fen, always with a reason. */
export const adjustPassSchema = z
  .object({
    usesDelta: z.coerce.number().int().min(-1000).max(1000).default(0),
    valueDeltaFen: z.coerce.number().int().min(-100_000_000).max(100_000_000).default(0),
    reason: z.string().trim().min(1, "reasonRequired").max(500),
  })
  .refine((a) => a.usesDelta !== 0 || a.valueDeltaFen !== 0, { message: "adjustNothing", path: ["usesDelta"] });

export const refundPassSchema = z.object({
  method: z.enum(["cash", "card", "other", "original"]).default("original"),
  reason: z.string().trim().min(1, "reasonRequired").max(500),
});

export const couponSchema = z
  .object({
    code: z
      .string()
      .transform(normalizeCouponCode)
      .pipe(z.string().regex(/^[A-Z0-9_-]{3,32}$/, "couponCodeFormat")),
    kind: z.enum(["fixed", "percent"]),
    amountFen: optionalInt(1, 100_000_000),
    percent: optionalInt(1, 100),
    serviceIds: uuidList.default([]),
    maxUses: optionalInt(1, 1_000_000),
    maxUsesPerCustomer: optionalInt(1, 1000),
    expiresAt: z.preprocess((v) => (v === "" || v == null ? null : v), z.coerce.date().nullable()),
    active: z.preprocess((v) => v === undefined || v === true || v === "on" || v === "true", z.boolean()).default(true),
  })
  .superRefine((c, ctx) => {
    if (c.kind === "fixed" && !c.amountFen) ctx.addIssue({ code: "custom", message: "couponAmountRequired", path: ["amountFen"] });
    if (c.kind === "percent" && !c.percent) ctx.addIssue({ code: "custom", message: "couponPercentRequired", path: ["percent"] });
  });
export type CouponInput = z.infer<typeof couponSchema>;

const text = (fd: FormData, key: string) => (typeof fd.get(key) === "string" ? String(fd.get(key)) : undefined);
const checked = (fd: FormData, key: string) => ["on", "true", "1"].includes(String(fd.get(key)));

/** The dashboard's plan form (money typed in yuan) as passPlanSchema input. */
export const planFormFromData = (fd: FormData) => ({
  kind: text(fd, "kind"),
  name: text(fd, "name"),
  priceFen: fenFromYuan(fd.get("price")),
  visits: text(fd, "visits"),
  bonusFen: fenFromYuan(fd.get("bonus")),
  discountPercent: text(fd, "discountPercent"),
  serviceIds: fd.getAll("serviceIds").map(String),
  validDays: text(fd, "validDays"),
  active: checked(fd, "active"),
});

/** The dashboard's coupon form (money typed in yuan) as couponSchema input. */
export const couponFormFromData = (fd: FormData) => ({
  code: text(fd, "code") ?? "",
  kind: text(fd, "kind"),
  amountFen: text(fd, "amount")?.trim() ? fenFromYuan(fd.get("amount")) : null,
  percent: text(fd, "percent"),
  serviceIds: fd.getAll("serviceIds").map(String),
  maxUses: text(fd, "maxUses"),
  maxUsesPerCustomer: text(fd, "maxUsesPerCustomer"),
  // A date input: the coupon runs to the end of that day in China time.
  expiresAt: /^\d{4}-\d{2}-\d{2}$/.test(text(fd, "expiresAt") ?? "") ? `${text(fd, "expiresAt")}T23:59:59+08:00` : text(fd, "expiresAt"),
  active: checked(fd, "active"),
});

/** Staff adjust form: visits, or yuan for stored value. */
export const adjustFormFromData = (fd: FormData) => ({
  usesDelta: text(fd, "usesDelta") || 0,
  valueDeltaFen: text(fd, "valueDelta")?.trim() ? signedFen(text(fd, "valueDelta")!) : 0,
  reason: text(fd, "reason"),
});

function signedFen(value: string): unknown {
  const negative = value.trim().startsWith("-");
  const fen = fenFromYuan(value.replace("-", ""));
  return typeof fen === "number" && negative ? -fen : fen;
}
