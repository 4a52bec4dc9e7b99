import { describe, expect, it } from "vitest";
import { bookingCalendar, bookingIcsAttachment, buildBookingIcs, type BookingIcsInput, parseMailbox } from "./ics";

// Thu 26 Nov 2026, 14:30–15:30 in Shanghai = 06:30–07:30 UTC
const input: BookingIcsInput = {
  bookingId: "0b5c7f7e-3f0a-4d8e-9a59-2f3c1c9f2a11",
  startsAt: new Date("2026-11-26T06:30:00Z"),
  endsAt: new Date("2026-11-26T07:30:00Z"),
  summary: "剪发, 洗吹; Lotus 美发",
  description: "预约码 YY8K2Q\n请准时到店",
  location: "上海市徐汇区 1 号",
  url: "https://yuyue.local/me/bookings/0b5c7f7e",
  organizer: parseMailbox("Yuyue <noreply@yuyue.local>"),
  attendee: { name: "张三", email: "zhang.san@example.com" },
  stampedAt: new Date("2026-11-25T12:00:00Z"),
};

/** RFC 5545 unfolding: a CRLF followed by a space or tab continues the previous line. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");
const lines = (ics: string) => unfold(ics).split("\r\n");

describe("booking .ics", () => {
  it("builds a REQUEST with the booking UID, UTC times and organizer", () => {
    const ics = buildBookingIcs(input);
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toContain("\n"); // every line ends in CRLF
    const l = lines(ics);
    expect(l).toContain("METHOD:REQUEST");
    expect(l).toContain("UID:0b5c7f7e-3f0a-4d8e-9a59-2f3c1c9f2a11@yuyue");
    expect(l).toContain("DTSTART:20261126T063000Z");
    expect(l).toContain("DTEND:20261126T073000Z");
    expect(l).toContain("DTSTAMP:20261125T120000Z");
    expect(l).toContain("SEQUENCE:0");
    expect(l).toContain("STATUS:CONFIRMED");
    expect(l).toContain("SUMMARY:剪发\\, 洗吹\\; Lotus 美发");
    expect(l).toContain("DESCRIPTION:预约码 YY8K2Q\\n请准时到店");
    expect(l).toContain("LOCATION:上海市徐汇区 1 号");
    expect(l).toContain('ORGANIZER;CN="Yuyue":MAILTO:noreply@yuyue.local');
    expect(unfold(ics)).toMatch(/^ATTENDEE;.*CN="张三":mailto:zhang\.san@example\.com$/im);
    expect(ics).not.toContain("VTIMEZONE");
  });

  it("is byte-identical for the same input (a retried send reuses its Idempotency-Key)", () => {
    expect(buildBookingIcs(input)).toBe(buildBookingIcs({ ...input }));
  });

  it("bumps SEQUENCE on reschedule and keeps the UID", () => {
    const moved = buildBookingIcs({
      ...input,
      startsAt: new Date("2026-11-27T02:00:00Z"),
      endsAt: new Date("2026-11-27T03:00:00Z"),
      sequence: 1,
    });
    const l = lines(moved);
    expect(l).toContain("UID:0b5c7f7e-3f0a-4d8e-9a59-2f3c1c9f2a11@yuyue");
    expect(l).toContain("SEQUENCE:1");
    expect(l).toContain("DTSTART:20261127T020000Z");
  });

  it("cancels with METHOD:CANCEL and STATUS:CANCELLED", () => {
    const l = lines(buildBookingIcs({ ...input, sequence: 2, cancelled: true }));
    expect(l).toContain("METHOD:CANCEL");
    expect(l).toContain("STATUS:CANCELLED");
    expect(l).toContain("SEQUENCE:2");
    expect(l).not.toContain("METHOD:REQUEST");
  });

  it("names one event per reschedule chain, one SEQUENCE up per move and again for the cancellation", () => {
    const chain = (moves: number) => ({ rootId: input.bookingId, moves });
    const files = [
      bookingCalendar(chain(0), false),
      bookingCalendar(chain(1), false),
      bookingCalendar(chain(2), false),
      bookingCalendar(chain(2), true),
    ].map((calendar, i) => lines(buildBookingIcs({ ...input, ...calendar, cancelled: i === 3 })));
    const field = (l: string[], name: string) => l.find((x) => x.startsWith(`${name}:`))?.slice(name.length + 1);
    expect(new Set(files.map((l) => field(l, "UID")))).toEqual(new Set([`${input.bookingId}@yuyue`]));
    expect(files.map((l) => Number(field(l, "SEQUENCE")))).toEqual([0, 1, 2, 3]);
    expect(files.map((l) => field(l, "METHOD"))).toEqual(["REQUEST", "REQUEST", "REQUEST", "CANCEL"]);
  });

  it("refuses an event that ends before it starts", () => {
    expect(() => buildBookingIcs({ ...input, endsAt: input.startsAt })).toThrow(/end after/);
  });

  it("wraps the calendar as booking.ics, text/calendar", () => {
    const attachment = bookingIcsAttachment(input);
    expect(attachment.filename).toBe("booking.ics");
    expect(attachment.contentType).toBe("text/calendar");
    expect(String(attachment.content)).toContain("BEGIN:VEVENT");
  });

  it("parses MAIL_FROM into an organizer", () => {
    expect(parseMailbox('"Lotus 美发" <hi@lotus.example>')).toEqual({ name: "Lotus 美发", email: "hi@lotus.example" });
    expect(parseMailbox("noreply@yuyue.local")).toEqual({ name: "noreply@yuyue.local", email: "noreply@yuyue.local" });
  });
});
