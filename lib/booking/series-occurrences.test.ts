import { describe, expect, it } from "vitest";
import { weeklyStarts } from "./series-occurrences";

describe("weeklyStarts", () => {
  it("keeps the local weekday and time in Shanghai (Tuesday 19:00)", () => {
    // 2026-12-01 is a Tuesday; 19:00 in Shanghai is 11:00Z.
    const starts = weeklyStarts(new Date("2026-12-01T11:00:00Z"), 4, "Asia/Shanghai");
    expect(starts.map((d) => d.toISOString())).toEqual([
      "2026-12-01T11:00:00.000Z",
      "2026-12-08T11:00:00.000Z",
      "2026-12-15T11:00:00.000Z",
      "2026-12-22T11:00:00.000Z",
    ]);
  });

  it("keeps the wall-clock time across a DST change (Tuesday 19:00 in Berlin, over 29 March)", () => {
    const starts = weeklyStarts(new Date("2026-03-24T18:00:00Z"), 2, "Europe/Berlin");
    expect(starts.map((d) => d.toISOString())).toEqual(["2026-03-24T18:00:00.000Z", "2026-03-31T17:00:00.000Z"]);
  });
});
