import { z } from "zod";
import { AppError } from "@/lib/errors";

export const refundTierSchema = z.strictObject({
  /** The tier applies when the cancellation is at least this many hours before the start (inclusive). */
  minHoursBefore: z.number().min(0),
  percent: z.number().min(0).max(100),
});
export type RefundTier = z.infer<typeof refundTierSchema>;

export const DEFAULT_REFUND_TIERS: RefundTier[] = [
  { minHoursBefore: 24, percent: 100 },
  { minHoursBefore: 2, percent: 50 },
];

export const paymentPolicySchema = z
  .strictObject({
    /** "full" charges the whole price; "deposit" charges the deposit (see amountDue). */
    mode: z.enum(["full", "deposit"]).default("deposit"),
    depositPercent: z.number().gt(0).max(100).optional(),
    depositFen: z.number().int().positive().optional(),
  })
  .refine((p) => p.depositPercent === undefined || p.depositFen === undefined, {
    error: "set either depositPercent or depositFen, not both",
  });

/**
 * Booking policy of a business; a service's `rules` column overrides any key (resolvePolicy).
 * Unknown keys are rejected so a typo in the admin's JSON is an error, not a silent default.
 */
export const policySchema = z.strictObject({
  minNoticeMin: z.number().int().min(0).default(60),
  maxAdvanceDays: z.number().int().min(0).max(3650).default(60),
  /** The customer may cancel or reschedule until this many hours before the start. */
  cancelDeadlineHours: z.number().min(0).default(2),
  refundTiers: z
    .array(refundTierSchema)
    .max(20)
    .refine((tiers) => new Set(tiers.map((t) => t.minHoursBefore)).size === tiers.length, {
      error: "refund tiers must have distinct minHoursBefore values",
    })
    .default(DEFAULT_REFUND_TIERS),
  /**
   * Percent of what was paid that goes back when the business (staff) cancels: the customer did
   * nothing wrong, so all of it by default. The customer tiers above apply only to their own cancellations.
   */
  businessCancelRefundPercent: z.number().min(0).max(100).default(100),
  /** null = no limit. Active = pending_payment or confirmed and not yet started. */
  maxActiveBookingsPerCustomer: z.number().int().positive().nullable().default(null),
  /** null = no limit; counted per local date (business zone) of the slot. */
  maxBookingsPerCustomerPerDay: z.number().int().positive().nullable().default(null),
  payment: paymentPolicySchema.default({ mode: "deposit" }),
  /** How long an unpaid booking holds its seats. */
  holdMinutes: z.number().int().min(1).max(1440).default(15),
  /** Customer groups allowed to book; [] = everyone. */
  allowedGroups: z.array(z.string().min(1)).default([]),
  /** How long a waitlist offer of a free service's seat waits to be accepted (a paid one is held holdMinutes). */
  waitlistOfferMinutes: z.number().int().min(1).max(1440).default(30),
  /** A confirmed booking not checked in this many minutes after its start becomes no_show (the no-show job); null = off. */
  noShowAfterMinutes: z.number().int().min(0).max(1440).nullable().default(null),
  /** Whether an automatic no-show keeps what was paid (true) or refunds it. */
  noShowForfeitDeposit: z.boolean().default(true),
  /** Recent no-shows (the rule fact customer.recentNoShows) are those of the last this many days. */
  noShowWindowDays: z.number().int().min(1).max(3650).default(90),
  /** Refuse bookings from a customer with at least this many recent no-shows; null = never. */
  noShowRefuseAfter: z.number().int().positive().nullable().default(null),
  /** Charge the full price up front (no deposit) from a customer with at least this many recent no-shows; null = never. */
  noShowPrepayAfter: z.number().int().positive().nullable().default(null),
});

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** "refundTiers.0.percent: Too big: expected number to be <=100; holdMinutes: …" */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`).join("; ");
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays, scalars and null replace; undefined leaves the base value. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function check(source: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", `Invalid ${source}: ${describeIssues(parsed.error)}`, parsed.error.issues);
  }
  return value as Record<string, unknown>;
}

/**
 * The policy in force for one service: defaults ← business policy ← service overrides. Each
 * source is validated on its own so the error names the one that is wrong. A service that sets
 * depositFen or depositPercent replaces the business's deposit setting rather than adding to it.
 */
export function resolvePolicy(businessPolicy: unknown, serviceOverrides?: unknown): Policy {
  const business = check("business policy", businessPolicy);
  const service = check("service policy override", serviceOverrides);
  const merged = deepMerge(business, service);
  const servicePayment = service.payment;
  if (isPlainObject(servicePayment) && isPlainObject(merged.payment)) {
    const payment = { ...merged.payment };
    if (servicePayment.depositFen !== undefined) delete payment.depositPercent;
    if (servicePayment.depositPercent !== undefined) delete payment.depositFen;
    merged.payment = payment;
  }
  const parsed = policySchema.safeParse(merged);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", `Invalid merged policy: ${describeIssues(parsed.error)}`, parsed.error.issues);
  }
  return parsed.data;
}

export type AmountDueInput = {
  /** Price of one seat, fen. */
  priceFen: number;
  /** The service's own deposit per seat (services.deposit_fen), fen; 0 = none. */
  depositFen: number;
  seats: number;
  policy: Pick<Policy, "payment">;
};

/**
 * Fen to charge now for a booking whose total is priceFen × seats. "full" charges the total.
 * "deposit" charges, in order of precedence: the service's depositFen per seat, the policy's
 * depositFen per seat, the policy's depositPercent of the total (rounded once), else the total.
 * Never more than the total; 0 for a free service.
 */
export function amountDue({ priceFen, depositFen, seats, policy }: AmountDueInput): number {
  for (const [name, v, min] of [
    ["priceFen", priceFen, 0],
    ["depositFen", depositFen, 0],
    ["seats", seats, 1],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < min) throw new AppError("VALIDATION_FAILED", `${name} must be an integer >= ${min}, got ${v}`);
  }
  const total = priceFen * seats;
  const payment = policy.payment;
  if (total === 0 || payment.mode === "full") return total;
  let due = total;
  if (depositFen > 0) due = depositFen * seats;
  else if (payment.depositFen !== undefined) due = payment.depositFen * seats;
  else if (payment.depositPercent !== undefined) due = Math.round((total * payment.depositPercent) / 100);
  return Math.min(due, total);
}
