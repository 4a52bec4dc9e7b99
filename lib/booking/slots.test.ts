import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { generateSlots, type GenerateSlotsInput, type SlotSchedule } from "./slots";

const SH = "Asia/Shanghai";
const NY = "America/New_York";

function input(schedule: Partial<SlotSchedule>, rest: Partial<GenerateSlotsInput> = {}): GenerateSlotsInput {
  return {
    schedule: { weeklyHours: {}, breaks: {}, dateOverrides: {}, slotIntervalMin: 30, ...schedule },
    durationMin: 60,
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    capacity: 1,
    timezone: SH,
    from: "2026-03-02", // Monday
    days: 1,
    ...rest,
  };
}

/** Local "HH:mm" of each start in `zone`. */
const starts = (slots: { startsAt: Date }[], zone = SH) => slots.map((s) => DateTime.fromJSDate(s.startsAt, { zone }).toFormat("HH:mm"));

describe("generateSlots", () => {
  it("steps each range by the interval and keeps slots that fit (Mon 2026-03-02, Shanghai)", () => {
    const slots = generateSlots(
      input(
        {
          weeklyHours: {
            mon: [
              { start: "09:00", end: "12:00" },
              { start: "14:00", end: "16:00" },
            ],
          },
        },
        { capacity: 4 },
      ),
    );
    expect(starts(slots)).toEqual(["09:00", "09:30", "10:00", "10:30", "11:00", "14:00", "14:30", "15:00"]);
    // Mon 09:00 +08:00 = 01:00Z; the slot lasts durationMin.
    expect(slots[0]).toEqual({ startsAt: new Date("2026-03-02T01:00:00Z"), endsAt: new Date("2026-03-02T02:00:00Z"), capacity: 4 });
  });

  it("uses the weekday of each local date and skips days without hours", () => {
    // Mon 2026-03-02 … Sun 2026-03-08; only Wednesday is open.
    const slots = generateSlots(input({ weeklyHours: { wed: [{ start: "10:00", end: "11:00" }] } }, { days: 7 }));
    expect(slots.map((s) => s.startsAt.toISOString())).toEqual(["2026-03-04T02:00:00.000Z"]);
  });

  it("leaves business holidays empty, even over a date override (Mon 2026-03-02 … Wed 03-04)", () => {
    const schedule = {
      weeklyHours: { mon: [{ start: "09:00", end: "10:00" }], tue: [{ start: "09:00", end: "10:00" }] },
      dateOverrides: { "2026-03-04": [{ start: "09:00", end: "10:00" }] },
    };
    const all = generateSlots(input(schedule, { days: 3 }));
    expect(all.map((s) => s.startsAt.toISOString())).toEqual([
      "2026-03-02T01:00:00.000Z",
      "2026-03-03T01:00:00.000Z",
      "2026-03-04T01:00:00.000Z",
    ]);
    const closed = generateSlots(input(schedule, { days: 3, closedDates: ["2026-03-03", "2026-03-04"] }));
    expect(closed.map((s) => s.startsAt.toISOString())).toEqual(["2026-03-02T01:00:00.000Z"]);
  });

  it("removes slots overlapping a break, buffers included", () => {
    const schedule = {
      weeklyHours: { mon: [{ start: "09:00", end: "18:00" }] },
      breaks: { mon: [{ start: "12:00", end: "13:00" }] },
      slotIntervalMin: 60,
    };
    expect(starts(generateSlots(input(schedule)))).toEqual(["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00"]);
    // 15 min after: 11:00 now runs into the break (12:15) and 17:00 past closing (18:15).
    expect(starts(generateSlots(input(schedule, { bufferAfterMin: 15 })))).toEqual(["09:00", "10:00", "13:00", "14:00", "15:00", "16:00"]);
    // 10 min before: 09:00 would start its buffer before opening, 13:00 inside the break.
    expect(starts(generateSlots(input(schedule, { bufferBeforeMin: 10 })))).toEqual(["10:00", "11:00", "14:00", "15:00", "16:00", "17:00"]);
  });

  it("lets a date override replace the weekly hours and breaks; [] closes the date", () => {
    const schedule = {
      weeklyHours: { mon: [{ start: "09:00", end: "11:00" }], tue: [{ start: "09:00", end: "11:00" }] },
      breaks: { mon: [{ start: "09:00", end: "10:00" }] },
      dateOverrides: {
        "2026-03-02": [{ start: "15:00", end: "17:00" }], // Monday: special afternoon
        "2026-03-03": [], // Tuesday: holiday
        "2026-03-08": [{ start: "10:00", end: "11:00" }], // Sunday: make-up workday (调休)
      },
      slotIntervalMin: 60,
    };
    const slots = generateSlots(input(schedule, { days: 7 }));
    expect(slots.map((s) => DateTime.fromJSDate(s.startsAt, { zone: SH }).toFormat("ccc HH:mm"))).toEqual([
      "Mon 15:00",
      "Mon 16:00",
      "Sun 10:00",
    ]);
  });

  it("regenerates identical instants (idempotent against the unique (service_id, starts_at))", () => {
    const args = input(
      {
        weeklyHours: {
          mon: [
            { start: "09:00", end: "12:00" },
            { start: "10:00", end: "13:00" },
          ],
          fri: [{ start: "22:00", end: "02:00" }],
        },
      },
      { days: 14 },
    );
    const first = generateSlots(args);
    expect(generateSlots(args)).toEqual(first);
    const keys = first.map((s) => s.startsAt.getTime());
    expect(new Set(keys).size).toBe(keys.length); // overlapping ranges give no duplicates
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
  });

  it("leaves out slots starting before `now`", () => {
    const now = new Date("2026-03-02T02:15:00Z"); // Mon 10:15 Shanghai
    const slots = generateSlots(input({ weeklyHours: { mon: [{ start: "09:00", end: "12:00" }] } }, { now }));
    expect(starts(slots)).toEqual(["10:30", "11:00"]);
  });

  it("handles ranges ending at 24:00 and crossing midnight (Fri 2026-03-06)", () => {
    const late = generateSlots(input({ weeklyHours: { fri: [{ start: "22:00", end: "24:00" }] } }, { from: "2026-03-06" }));
    expect(starts(late)).toEqual(["22:00", "22:30", "23:00"]);
    // Fri 23:00 → Sat 00:00 Shanghai = Fri 16:00Z.
    expect(late.at(-1)?.endsAt).toEqual(new Date("2026-03-06T16:00:00Z"));

    // Overnight Fri 22:00 → Sat 02:00, with a Saturday 00:30-01:00 break that applies across midnight.
    const overnight = generateSlots(
      input(
        { weeklyHours: { fri: [{ start: "22:00", end: "02:00" }] }, breaks: { sat: [{ start: "00:30", end: "01:00" }] } },
        { from: "2026-03-06", durationMin: 30 },
      ),
    );
    expect(starts(overnight)).toEqual(["22:00", "22:30", "23:00", "23:30", "00:00", "01:00", "01:30"]);
    expect(overnight.at(-1)?.startsAt).toEqual(new Date("2026-03-06T17:30:00Z")); // Sat 01:30 +08:00
  });

  it("skips nonexistent local times on a spring-forward day (Sun 2026-03-08, New York)", () => {
    const slots = generateSlots(
      input({ weeklyHours: { sun: [{ start: "00:00", end: "05:00" }] } }, { timezone: NY, from: "2026-03-08", durationMin: 30 }),
    );
    // 02:00 and 02:30 do not exist: the clock jumps from 01:59 EST to 03:00 EDT.
    expect(starts(slots, NY)).toEqual(["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30"]);
    expect(slots[0]?.startsAt).toEqual(new Date("2026-03-08T05:00:00Z")); // 00:00 EST
    // 01:30 EST lasts 30 real minutes and ends at 03:00 EDT.
    expect(slots[3]?.endsAt).toEqual(new Date("2026-03-08T07:00:00Z"));
    expect(slots[4]?.startsAt).toEqual(new Date("2026-03-08T07:00:00Z")); // 03:00 EDT
  });

  it("yields exactly one slot for an ambiguous local time on a fall-back day (Sun 2026-11-01, New York)", () => {
    const slots = generateSlots(
      input({ weeklyHours: { sun: [{ start: "00:00", end: "03:00" }] } }, { timezone: NY, from: "2026-11-01", durationMin: 30 }),
    );
    // 01:00-01:59 happens twice; each wall time gives one slot, at its first (EDT) occurrence.
    expect(starts(slots, NY)).toEqual(["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"]);
    expect(slots[2]?.startsAt).toEqual(new Date("2026-11-01T05:00:00Z")); // 01:00 EDT (-04:00)
    expect(slots[4]?.startsAt).toEqual(new Date("2026-11-01T07:00:00Z")); // 02:00 EST (-05:00)
    expect(
      generateSlots(
        input({ weeklyHours: { sun: [{ start: "00:00", end: "03:00" }] } }, { timezone: NY, from: "2026-11-01", durationMin: 30 }),
      ),
    ).toEqual(slots);
  });

  it("rejects malformed input with a clear message", () => {
    const hours = { weeklyHours: { mon: [{ start: "09:00", end: "25:00" }] } };
    expect(() => generateSlots(input(hours))).toThrow(/Invalid time "25:00"/);
    expect(() => generateSlots(input({}, { timezone: "Mars/Olympus" }))).toThrow(/Unknown time zone/);
    expect(() => generateSlots(input({}, { from: "2026-02-30" }))).toThrow(/Invalid date/);
    expect(() => generateSlots(input({}, { durationMin: 0 }))).toThrow(/durationMin/);
    expect(() => generateSlots(input({ slotIntervalMin: 0 }))).toThrow(/slotIntervalMin/);
  });
});
