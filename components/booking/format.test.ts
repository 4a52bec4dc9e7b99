import { describe, expect, it } from "vitest";
import { formatDateTime } from "../format";
import { formatDate, formatSlotRange, formatTime } from "./format";

describe("booking time formatting", () => {
  it("renders in the business zone, not the process zone", () => {
    // 2025-06-03T02:00Z is Tuesday 10:00 in Shanghai and Monday 22:00 in New York.
    expect(formatDateTime("2025-06-03T02:00:00.000Z", "zh-CN", "Asia/Shanghai", "long")).toBe("2025年6月3日 周二 10:00");
    expect(formatDateTime("2025-06-03T02:00:00.000Z", "en", "America/New_York", "long")).toBe("Mon 2 Jun 2025 22:00");
  });

  it("shows a slot's end time alone on the same day and with its date across midnight", () => {
    // Tuesday 10:00-10:20 Shanghai.
    expect(formatSlotRange("2025-06-03T02:00:00.000Z", "2025-06-03T02:20:00.000Z", "Asia/Shanghai", "zh-CN")).toBe(
      "2025年6月3日 周二 10:00–10:20",
    );
    // Tuesday 23:30 → Wednesday 00:30 Shanghai.
    expect(formatSlotRange("2025-06-03T15:30:00.000Z", "2025-06-03T16:30:00.000Z", "Asia/Shanghai", "en")).toBe(
      "Tue 3 Jun 2025 23:30–Wed 4 Jun 2025 00:30",
    );
  });

  it("follows the zone's DST change", () => {
    // New York springs forward on Sunday 2025-03-09: 01:30 EST then 03:30 EDT, one hour apart.
    expect(formatTime("2025-03-09T06:30:00.000Z", "America/New_York", "en")).toBe("01:30");
    expect(formatTime("2025-03-09T07:30:00.000Z", "America/New_York", "en")).toBe("03:30");
    expect(formatDate("2025-03-09T07:30:00.000Z", "America/New_York", "zh-CN")).toBe("2025年3月9日 周日");
  });
});
