import { Engine, type TopLevelCondition } from "json-rules-engine";
import { DateTime } from "luxon";
import { z } from "zod";
import type { SlotRestrictions } from "@/db/schema/services";
import { AppError } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { describeIssues, type Policy } from "./policy";

export type LocalizedText = { "zh-CN": string; en: string };
/** `text` is `message` in the locale asked of evaluateRules. */
export type Violation = { rule: string; message: LocalizedText; text: string };

export type BuiltInRule =
  | "service_inactive"
  | "slot_closed"
  | "min_notice"
  | "max_advance"
  | "not_enough_seats"
  | "max_active_bookings"
  | "max_bookings_per_day"
  | "group_restricted_slot"
  | "group_restricted_service"
  | "repeat_no_show";

export type BookingFacts = {
  now: Date;
  timezone: string;
  /** activeBookings and bookingsOnDay count the customer's other bookings, not the one being made. */
  /** noShowCount: no-shows staff did not forgive; recentNoShows: those of the policy's noShowWindowDays. */
  customer: {
    id: string;
    groups: string[];
    activeBookings: number;
    bookingsOnDay: number;
    noShowCount?: number;
    recentNoShows?: number;
  } & Record<string, unknown>;
  service: { id: string; active: boolean } & Record<string, unknown>;
  slot: { startsAt: Date; endsAt: Date; capacity: number; bookedCount: number; status: "open" | "closed"; restrictions: SlotRestrictions };
  seats: number;
};

const FACT_RE = /^(?:seats|leadHours|(?:customer|service|slot)(?:\.[A-Za-z_]\w*)?)$/;
const OPERATORS = "equal|notEqual|lessThan|lessThanInclusive|greaterThan|greaterThanInclusive|in|notIn|contains|doesNotContain";
const OPERATOR_RE = new RegExp(`^(?:(?:not|swap|someFact|someValue|everyFact|everyValue):)*(?:${OPERATORS})$`);

const leafSchema = z.strictObject({
  fact: z
    .string()
    .regex(FACT_RE, { error: (i) => `unknown fact ${JSON.stringify(i.input)}; use customer.*, service.*, slot.*, seats or leadHours` }),
  operator: z
    .string()
    .regex(OPERATOR_RE, { error: (i) => `unknown operator ${JSON.stringify(i.input)}; use one of ${OPERATORS.replaceAll("|", ", ")}` }),
  value: z.unknown().refine((v) => v !== undefined, { error: "value is required" }),
  path: z.string().startsWith("$").optional(),
});

type Ctx = z.RefinementCtx<unknown>;
function checkCondition(node: unknown, path: (string | number)[], ctx: Ctx, depth: number): void {
  const fail = (message: string) => ctx.addIssue({ code: "custom", message, path });
  if (depth > 10) return fail("conditions nest deeper than 10 levels");
  if (typeof node !== "object" || node === null || Array.isArray(node)) return fail("a condition must be an object");
  const keys = Object.keys(node);
  const group = keys.find((k) => k === "all" || k === "any" || k === "not");
  if (group && keys.length > 1) return fail(`"${group}" must be the only key of its condition`);
  const value: unknown = (node as Record<string, unknown>)[group ?? ""];
  if (group === "not") return checkCondition(value, [...path, "not"], ctx, depth + 1);
  if (group) {
    if (!Array.isArray(value) || value.length === 0) return fail(`"${group}" must be a non-empty array of conditions`);
    value.forEach((c: unknown, i) => checkCondition(c, [...path, group, i], ctx, depth + 1));
    return;
  }
  if (depth === 0) return fail('top-level conditions must be { "all": [...] }, { "any": [...] } or { "not": {...} }');
  const leaf = leafSchema.safeParse(node);
  for (const issue of leaf.error?.issues ?? [])
    ctx.addIssue({
      code: "custom",
      message: issue.message,
      path: [...path, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    });
}

/**
 * An admin-defined rule. Its conditions describe what is FORBIDDEN: when they match the booking's
 * facts, the booking violates the rule and `message` explains why.
 */
export const customRuleSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][\w-]{0,63}$/, { error: "id must be 1-64 letters, digits, _ or -" }),
  conditions: z.custom<TopLevelCondition>().superRefine((c, ctx) => checkCondition(c, [], ctx, 0)),
  message: z.strictObject({ "zh-CN": z.string().trim().min(1), en: z.string().trim().min(1) }),
  enabled: z.boolean().default(true),
});
export type CustomRule = z.output<typeof customRuleSchema>;

export const customRulesSchema = z.array(customRuleSchema).refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, {
  error: "custom rule ids must be unique",
});

/** Validates stored custom rules; throws VALIDATION_FAILED naming the bad rule and field. */
export function parseCustomRules(input: unknown): CustomRule[] {
  const parsed = customRulesSchema.safeParse(input ?? []);
  if (parsed.success) return parsed.data;
  throw new AppError("VALIDATION_FAILED", `Invalid custom rules: ${describeIssues(parsed.error)}`, parsed.error.issues);
}

/**
 * Facts for custom rules, in the business zone: objects `customer`, `service`, `slot` (usable with
 * `path`), each of their keys as a dotted fact (`customer.groups`, `slot.weekday`), plus `seats`
 * and `leadHours`. slot adds date (YYYY-MM-DD), hourOfDay (0-23), minuteOfDay, weekday (1 = Monday
 * … 7 = Sunday), durationMin, remaining and groups; startsAt/endsAt become ISO strings.
 */
export function deriveFacts(facts: BookingFacts): Record<string, unknown> {
  const start = DateTime.fromJSDate(facts.slot.startsAt, { zone: facts.timezone });
  if (!start.isValid) throw new AppError("VALIDATION_FAILED", `Unknown time zone "${facts.timezone}"`);
  const { startsAt, endsAt, restrictions, ...slotRest } = facts.slot;
  const slot = {
    ...slotRest,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    remaining: slotRest.capacity - slotRest.bookedCount,
    groups: restrictions.groups ?? [],
    date: start.toISODate(),
    hourOfDay: start.hour,
    minuteOfDay: start.hour * 60 + start.minute,
    weekday: start.weekday,
    durationMin: Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000),
  };
  const customer = { ...facts.customer, noShowCount: facts.customer.noShowCount ?? 0, recentNoShows: facts.customer.recentNoShows ?? 0 };
  const objects = { customer, service: { ...facts.service }, slot };
  const out: Record<string, unknown> = {
    ...objects,
    seats: facts.seats,
    leadHours: (startsAt.getTime() - facts.now.getTime()) / 3_600_000,
  };
  for (const [root, obj] of Object.entries(objects)) {
    for (const [key, value] of Object.entries(obj)) out[`${root}.${key}`] = value;
  }
  return out;
}

function duration(min: number): LocalizedText {
  const [n, zh, en] =
    min % 1440 === 0 && min > 0
      ? [min / 1440, "天", "day"]
      : min % 60 === 0 && min > 0
        ? [min / 60, "小时", "hour"]
        : [min, "分钟", "minute"];
  return { "zh-CN": `${n} ${zh}`, en: `${n} ${en}${n === 1 ? "" : "s"}` };
}

const intersects = (a: readonly string[], b: readonly string[]) => a.some((g) => b.includes(g));

/** Local midnight after the last bookable day; the last answer is kept, as many slots share one `now`. */
let windowMemo: { key: string; ms: number } | null = null;
function bookingWindowEnd(now: Date, timezone: string, maxAdvanceDays: number): number {
  const key = `${now.getTime()}|${timezone}|${maxAdvanceDays}`;
  if (windowMemo?.key !== key) {
    const end = DateTime.fromJSDate(now, { zone: timezone })
      .startOf("day")
      .plus({ days: maxAdvanceDays + 1 });
    windowMemo = { key, ms: end.toMillis() };
  }
  return windowMemo.ms;
}

function builtInViolations(f: BookingFacts, policy: Policy): [BuiltInRule, LocalizedText][] {
  const out: [BuiltInRule, LocalizedText][] = [];
  const add = (rule: BuiltInRule, zh: string, en: string) => out.push([rule, { "zh-CN": zh, en }]);
  const { customer, slot } = f;
  const leadMs = slot.startsAt.getTime() - f.now.getTime();
  const remaining = Math.max(0, slot.capacity - slot.bookedCount);
  // A slot is too far ahead when it starts on or after the local midnight ending the advance window.
  const tooFarFrom = bookingWindowEnd(f.now, f.timezone, policy.maxAdvanceDays);
  const notice = duration(policy.minNoticeMin);
  const slotGroups = slot.restrictions.groups ?? [];
  const { maxActiveBookingsPerCustomer: maxActive, maxBookingsPerCustomerPerDay: maxDay, allowedGroups } = policy;

  if (!f.service.active) add("service_inactive", "该服务暂停预约", "This service is not taking bookings");
  if (slot.status !== "open") add("slot_closed", "该时段已关闭", "This slot is closed");
  if (leadMs <= 0 || leadMs < policy.minNoticeMin * 60_000) {
    add("min_notice", `需至少提前 ${notice["zh-CN"]}预约`, `Bookings must be made at least ${notice.en} in advance`);
  }
  if (slot.startsAt.getTime() >= tooFarFrom)
    add("max_advance", `最多可提前 ${policy.maxAdvanceDays} 天预约`, `Bookings open at most ${policy.maxAdvanceDays} days in advance`);
  if (f.seats > remaining) {
    if (remaining === 0) add("not_enough_seats", "该时段已约满", "This slot is fully booked");
    else
      add(
        "not_enough_seats",
        `该时段仅剩 ${remaining} 个名额，无法预约 ${f.seats} 个`,
        `Only ${remaining} seats left; cannot book ${f.seats}`,
      );
  }
  if (maxActive !== null && customer.activeBookings + 1 > maxActive) {
    add(
      "max_active_bookings",
      `您已有 ${customer.activeBookings} 个进行中的预约，上限为 ${maxActive} 个`,
      `You already have ${customer.activeBookings} active bookings; the limit is ${maxActive}`,
    );
  }
  if (maxDay !== null && customer.bookingsOnDay + 1 > maxDay) {
    add(
      "max_bookings_per_day",
      `您当天已有 ${customer.bookingsOnDay} 个预约，每天最多 ${maxDay} 个`,
      `You already have ${customer.bookingsOnDay} bookings that day; the limit is ${maxDay} per day`,
    );
  }
  if (slotGroups.length > 0 && !intersects(customer.groups, slotGroups)) {
    add(
      "group_restricted_slot",
      `该时段仅限以下客户组预约：${slotGroups.join("、")}`,
      `This slot is reserved for: ${slotGroups.join(", ")}`,
    );
  }
  if (allowedGroups.length > 0 && !intersects(customer.groups, allowedGroups)) {
    add(
      "group_restricted_service",
      `该服务仅限以下客户组预约：${allowedGroups.join("、")}`,
      `This service is only for: ${allowedGroups.join(", ")}`,
    );
  }
  const recent = customer.recentNoShows ?? 0;
  if (policy.noShowRefuseAfter !== null && recent >= policy.noShowRefuseAfter) {
    add(
      "repeat_no_show",
      `您在最近 ${policy.noShowWindowDays} 天内有 ${recent} 次预约未到店，暂时无法在线预约，请联系商家`,
      `You missed ${recent} bookings in the last ${policy.noShowWindowDays} days, so online booking is paused; please contact the business`,
    );
  }
  return out;
}

/**
 * Every violation of the built-in policy rules and of the enabled custom rules, never stopping at
 * the first, so the UI can explain all reasons at once. Custom rules are validated first
 * (VALIDATION_FAILED on a malformed definition) and reported as `custom:<id>`, in their order.
 */
export async function evaluateRules(
  facts: BookingFacts,
  policy: Policy,
  customRules: unknown = [],
  locale: Locale = "zh-CN",
): Promise<Violation[]> {
  return prepareRules(policy, customRules, locale)(facts);
}

/**
 * evaluateRules with the custom rules validated and compiled once, for checking many slots (a
 * month of availability) against the same policy: one rules engine, run once per set of facts.
 */
export function prepareRules(
  policy: Policy,
  customRules: unknown = [],
  locale: Locale = "zh-CN",
): (facts: BookingFacts) => Promise<Violation[]> {
  const violation = (rule: string, message: LocalizedText): Violation => ({ rule, message, text: message[locale] });
  const rules = parseCustomRules(customRules).filter((r) => r.enabled);
  const engine = rules.length > 0 ? new Engine([], { allowUndefinedFacts: true }) : null;
  for (const r of rules) engine?.addRule({ name: r.id, conditions: r.conditions, event: { type: "violation", params: { id: r.id } } });
  return async (facts) => {
    const out = builtInViolations(facts, policy).map(([rule, message]) => violation(rule, message));
    if (!engine) return out;
    const { results } = await engine.run(deriveFacts(facts));
    const matched = new Set(results.map((r) => r.name));
    for (const r of rules) if (matched.has(r.id)) out.push(violation(`custom:${r.id}`, r.message));
    return out;
  };
}
