import { describe, expect, it } from "vitest";
import { resolvePolicy } from "./policy";
import { type BookingFacts, customRuleSchema, deriveFacts, evaluateRules, parseCustomRules } from "./rules";

const SH = "Asia/Shanghai";
const policy = resolvePolicy({ maxActiveBookingsPerCustomer: 3, maxBookingsPerCustomerPerDay: 1, maxAdvanceDays: 7 });

/** now: Tue 2026-03-03 10:00 Shanghai; slot: Thu 2026-03-05 14:00-15:00 Shanghai, 2 of 3 seats free. */
function facts(
  over: {
    customer?: Partial<BookingFacts["customer"]>;
    service?: Partial<BookingFacts["service"]>;
    slot?: Partial<BookingFacts["slot"]>;
    seats?: number;
    now?: Date;
    timezone?: string;
  } = {},
): BookingFacts {
  return {
    now: over.now ?? new Date("2026-03-03T02:00:00Z"),
    timezone: over.timezone ?? SH,
    customer: { id: "c1", groups: [], activeBookings: 0, bookingsOnDay: 0, ...over.customer },
    service: { id: "s1", active: true, ...over.service },
    slot: {
      startsAt: new Date("2026-03-05T06:00:00Z"),
      endsAt: new Date("2026-03-05T07:00:00Z"),
      capacity: 3,
      bookedCount: 1,
      status: "open",
      restrictions: {},
      ...over.slot,
    },
    seats: over.seats ?? 1,
  };
}
const rulesOf = async (f: BookingFacts, custom: unknown = [], p = policy) => (await evaluateRules(f, p, custom)).map((v) => v.rule);

describe("evaluateRules: built-in rules", () => {
  it("passes a valid booking", async () => {
    expect(await evaluateRules(facts(), policy, [])).toEqual([]);
  });

  const cases: [string, BookingFacts, ReturnType<typeof resolvePolicy>?][] = [
    ["service_inactive", facts({ service: { active: false } })],
    ["slot_closed", facts({ slot: { status: "closed" } })],
    // Thu 2026-03-05 14:00 slot, now Thu 13:30: 30 min < 60 min notice.
    ["min_notice", facts({ now: new Date("2026-03-05T05:30:00Z") })],
    // Wed 2026-03-11 00:00 Shanghai (Tue 16:00Z) is the 8th local day after Tue 03-03.
    ["max_advance", facts({ slot: { startsAt: new Date("2026-03-10T16:00:00Z"), endsAt: new Date("2026-03-10T17:00:00Z") } })],
    ["not_enough_seats", facts({ seats: 3 })],
    ["max_active_bookings", facts({ customer: { activeBookings: 3 } })],
    ["max_bookings_per_day", facts({ customer: { bookingsOnDay: 1 } })],
    ["group_restricted_slot", facts({ slot: { restrictions: { groups: ["member"] } } })],
    ["group_restricted_service", facts(), resolvePolicy({ allowedGroups: ["vip"] })],
  ];
  for (const [rule, f, p] of cases) {
    it(`reports ${rule} alone`, async () => {
      expect(await rulesOf(f, [], p ?? policy)).toEqual([rule]);
    });
  }

  it("counts max advance in local days: Tue 2026-03-10 23:30 Shanghai is still inside 7 days", async () => {
    expect(
      await rulesOf(facts({ slot: { startsAt: new Date("2026-03-10T15:30:00Z"), endsAt: new Date("2026-03-10T16:30:00Z") } })),
    ).toEqual([]);
  });

  it("reports a started slot even with no minimum notice", async () => {
    expect(await rulesOf(facts({ now: new Date("2026-03-05T06:00:00Z") }), [], resolvePolicy({ minNoticeMin: 0 }))).toEqual(["min_notice"]);
  });

  it("lets a member book a restricted slot and service", async () => {
    const f = facts({ customer: { groups: ["member", "vip"] }, slot: { restrictions: { groups: ["member"] } } });
    expect(await rulesOf(f, [], resolvePolicy({ allowedGroups: ["vip"] }))).toEqual([]);
  });

  it("returns every violation at once, in both languages", async () => {
    const f = facts({
      service: { active: false },
      customer: { activeBookings: 5, bookingsOnDay: 2 },
      // Sat 2026-03-21 10:00 Shanghai: beyond 7 days, closed, full, members only.
      slot: {
        startsAt: new Date("2026-03-21T02:00:00Z"),
        endsAt: new Date("2026-03-21T03:00:00Z"),
        status: "closed",
        bookedCount: 3,
        restrictions: { groups: ["member"] },
      },
    });
    const violations = await evaluateRules(
      f,
      resolvePolicy({ maxActiveBookingsPerCustomer: 3, maxBookingsPerCustomerPerDay: 1, maxAdvanceDays: 7, allowedGroups: ["vip"] }),
      [],
      "en",
    );
    expect(violations.map((v) => v.rule)).toEqual([
      "service_inactive",
      "slot_closed",
      "max_advance",
      "not_enough_seats",
      "max_active_bookings",
      "max_bookings_per_day",
      "group_restricted_slot",
      "group_restricted_service",
    ]);
    expect(violations.find((v) => v.rule === "not_enough_seats")).toEqual({
      rule: "not_enough_seats",
      message: { "zh-CN": "该时段已约满", en: "This slot is fully booked" },
      text: "This slot is fully booked",
    });
    for (const v of violations) expect(v.message["zh-CN"].length).toBeGreaterThan(0);
  });

  it("explains the minimum notice in readable units", async () => {
    const [v] = await evaluateRules(facts({ now: new Date("2026-03-05T05:30:00Z") }), policy, [], "zh-CN");
    expect(v?.text).toBe("需至少提前 1 小时预约");
    expect(v?.message.en).toBe("Bookings must be made at least 1 hour in advance");
  });
});

describe("evaluateRules: custom rules (conditions describe what is forbidden)", () => {
  const weekendNewcomers = {
    id: "no-weekend-newcomers",
    conditions: {
      all: [
        { fact: "slot.weekday", operator: "in", value: [6, 7] },
        { fact: "customer.groups", operator: "doesNotContain", value: "member" },
      ],
    },
    message: { "zh-CN": "周末仅限会员预约", en: "Weekends are for members only" },
  };
  const noShows = {
    id: "repeat-no-show",
    conditions: { any: [{ fact: "customer", path: "$.noShowCount", operator: "greaterThanInclusive", value: 3 }] },
    message: { "zh-CN": "爽约次数过多，请联系商家", en: "Too many no-shows; please contact us" },
  };
  const bigGroups = {
    id: "big-groups-early",
    conditions: {
      all: [
        { fact: "seats", operator: "greaterThan", value: 2 },
        { fact: "leadHours", operator: "lessThan", value: 48 },
      ],
    },
    message: { "zh-CN": "3 人以上需提前 48 小时预约", en: "Groups of 3+ must book 48 hours ahead" },
  };
  // Sat 2026-03-07 10:00-11:00 Shanghai.
  const saturday = { startsAt: new Date("2026-03-07T02:00:00Z"), endsAt: new Date("2026-03-07T03:00:00Z") };

  it("reports a matching rule and ignores one that does not match", async () => {
    expect(await rulesOf(facts({ slot: saturday }), [weekendNewcomers])).toEqual(["custom:no-weekend-newcomers"]);
    expect(await rulesOf(facts(), [weekendNewcomers])).toEqual([]); // Thursday
    expect(await rulesOf(facts({ slot: saturday, customer: { groups: ["member"] } }), [weekendNewcomers])).toEqual([]);
  });

  it("refuses a customer with the policy's number of recent no-shows, and custom rules read recentNoShows", async () => {
    const strict = resolvePolicy({ ...policy, noShowRefuseAfter: 2 });
    expect(await rulesOf(facts({ customer: { noShowCount: 5, recentNoShows: 1 } }), [], strict)).toEqual([]);
    const [v] = await evaluateRules(facts({ customer: { recentNoShows: 2 } }), strict, [], "en");
    expect(v).toMatchObject({ rule: "repeat_no_show", text: expect.stringContaining("You missed 2 bookings in the last 90 days") });
    const recent = {
      id: "recent",
      conditions: { all: [{ fact: "customer.recentNoShows", operator: "greaterThanInclusive", value: 1 }] },
      message: { "zh-CN": "近期爽约", en: "Recent no-show" },
    };
    expect(await rulesOf(facts(), [recent])).toEqual([]);
    expect(await rulesOf(facts({ customer: { recentNoShows: 1 } }), [recent])).toEqual(["custom:recent"]);
  });

  it("reads path facts, defaults noShowCount to 0, and uses seats and lead hours", async () => {
    expect(await rulesOf(facts(), [noShows])).toEqual([]);
    expect(await rulesOf(facts({ customer: { noShowCount: 3 } }), [noShows])).toEqual(["custom:repeat-no-show"]);
    const group = facts({ seats: 3, slot: { bookedCount: 0 } }); // 52 h ahead
    expect(await rulesOf(group, [bigGroups])).toEqual([]);
    expect(await rulesOf({ ...group, now: new Date("2026-03-04T02:00:00Z") }, [bigGroups])).toEqual(["custom:big-groups-early"]);
  });

  it("returns built-in and custom violations together and skips disabled rules", async () => {
    const f = facts({ slot: { ...saturday, status: "closed" }, customer: { noShowCount: 4 } });
    const v = await evaluateRules(f, policy, [weekendNewcomers, { ...noShows, enabled: false }, { ...noShows, id: "again" }], "en");
    expect(v.map((x) => x.rule)).toEqual(["slot_closed", "custom:no-weekend-newcomers", "custom:again"]);
    expect(v[1]?.text).toBe("Weekends are for members only");
  });

  it("rejects malformed definitions with a clear message", async () => {
    const bad = (conditions: unknown) => [{ ...weekendNewcomers, conditions }];
    expect(() => parseCustomRules(bad({ all: [{ fact: "slot.weekday", operator: "isWeekend", value: 1 }] }))).toThrow(
      /conditions\.all\.0\.operator: unknown operator "isWeekend"/,
    );
    expect(() => parseCustomRules(bad({ all: [{ fact: "user.age", operator: "equal", value: 1 }] }))).toThrow(/unknown fact "user.age"/);
    expect(() => parseCustomRules(bad({ fact: "seats", operator: "equal", value: 1 }))).toThrow(/top-level conditions must be/);
    expect(() => parseCustomRules(bad({ any: [] }))).toThrow(/"any" must be a non-empty array/);
    expect(() => parseCustomRules(bad({ all: [{ fact: "seats", operator: "equal" }] }))).toThrow(/value: value is required/);
    expect(() => parseCustomRules([{ ...weekendNewcomers, message: { "zh-CN": "周末" } }])).toThrow(/message\.en/);
    expect(() => parseCustomRules([weekendNewcomers, weekendNewcomers])).toThrow(/ids must be unique/);
    await expect(evaluateRules(facts(), policy, [{ id: "x" }])).rejects.toThrow(/Invalid custom rules/);
    expect(
      customRuleSchema.safeParse({
        ...weekendNewcomers,
        conditions: { not: { fact: "slot.hourOfDay", operator: "not:lessThan", value: 9 } },
      }).success,
    ).toBe(true);
  });
});

describe("deriveFacts", () => {
  it("computes local hour and ISO weekday in the business zone (Sun 2026-11-01 01:30 EST, New York)", () => {
    const f = facts({
      timezone: "America/New_York",
      now: new Date("2026-10-31T06:30:00Z"),
      slot: { startsAt: new Date("2026-11-01T06:30:00Z"), endsAt: new Date("2026-11-01T07:30:00Z") },
    });
    expect(deriveFacts(f)).toMatchObject({
      "slot.hourOfDay": 1,
      "slot.minuteOfDay": 90,
      "slot.weekday": 7,
      "slot.date": "2026-11-01",
      "slot.durationMin": 60,
      "slot.remaining": 2,
      leadHours: 24,
      seats: 1,
      "customer.noShowCount": 0,
      "customer.recentNoShows": 0,
    });
  });

  it("uses Shanghai local time for the same instant in Shanghai (Sun 2026-11-01 14:30)", () => {
    const d = deriveFacts(facts({ slot: { startsAt: new Date("2026-11-01T06:30:00Z"), endsAt: new Date("2026-11-01T07:30:00Z") } }));
    expect([d["slot.hourOfDay"], d["slot.weekday"]]).toEqual([14, 7]);
  });
});
