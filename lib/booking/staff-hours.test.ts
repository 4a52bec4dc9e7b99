import { describe, expect, it } from "vitest";
import { worksDuring, type StaffHours } from "./staff-hours";

const ZONE = "Asia/Shanghai";
const at = (local: string) => new Date(`${local}:00+08:00`);
const slot = (from: string, to: string) => ({ startsAt: at(from), endsAt: at(to) });
const base: StaffHours = { weeklyHours: null, breaks: {}, dateOverrides: {} };

describe("worksDuring", () => {
  // 2026-12-07 is a Monday in Asia/Shanghai.
  it("without own hours works whenever asked, except over breaks, time off and a day off", () => {
    expect(worksDuring(base, [], slot("2026-12-07T10:00", "2026-12-07T11:00"), ZONE)).toBe(true);
    const lunch = { ...base, breaks: { mon: [{ start: "12:00", end: "13:00" }] } };
    expect(worksDuring(lunch, [], slot("2026-12-07T11:30", "2026-12-07T12:30"), ZONE)).toBe(false);
    expect(worksDuring(lunch, [], slot("2026-12-08T11:30", "2026-12-08T12:30"), ZONE)).toBe(true);
    const off = { ...base, dateOverrides: { "2026-12-07": [] } };
    expect(worksDuring(off, [], slot("2026-12-07T10:00", "2026-12-07T11:00"), ZONE)).toBe(false);
    const leave = [{ startsAt: at("2026-12-07T09:00"), endsAt: at("2026-12-07T10:30") }];
    expect(worksDuring(base, leave, slot("2026-12-07T10:00", "2026-12-07T11:00"), ZONE)).toBe(false);
    expect(worksDuring(base, leave, slot("2026-12-07T10:30", "2026-12-07T11:30"), ZONE)).toBe(true);
  });

  it("with own hours works only inside them, a shift past midnight included", () => {
    const late = { ...base, weeklyHours: { mon: [{ start: "18:00", end: "02:00" }] } };
    expect(worksDuring(late, [], slot("2026-12-07T17:00", "2026-12-07T18:00"), ZONE)).toBe(false);
    expect(worksDuring(late, [], slot("2026-12-07T23:30", "2026-12-08T00:30"), ZONE)).toBe(true);
    // Tuesday 01:00 still belongs to Monday's shift.
    expect(worksDuring(late, [], slot("2026-12-08T01:00", "2026-12-08T02:00"), ZONE)).toBe(true);
    expect(worksDuring(late, [], slot("2026-12-08T01:30", "2026-12-08T02:30"), ZONE)).toBe(false);
    // A date override replaces that day's hours.
    const swapped = { ...late, dateOverrides: { "2026-12-07": [{ start: "09:00", end: "12:00" }] } };
    expect(worksDuring(swapped, [], slot("2026-12-07T09:00", "2026-12-07T10:00"), ZONE)).toBe(true);
    expect(worksDuring(swapped, [], slot("2026-12-07T19:00", "2026-12-07T20:00"), ZONE)).toBe(false);
  });
});
