import { describe, expect, it } from "vitest";
import { messageLinks } from "./message-links";

const id = "7b0b5d3c-1111-4222-8333-944445555666";

describe("messageLinks", () => {
  it("a hold still open offers pay and view; once paid, view and reschedule", () => {
    expect(messageLinks("booking_pending_payment", id, "pending_payment").map((l) => l.kind)).toEqual(["pay", "view"]);
    expect(messageLinks("booking_pending_payment", id, "confirmed").map((l) => l.kind)).toEqual(["view", "reschedule"]);
    expect(messageLinks("reminder", id, "confirmed")).toContainEqual({ kind: "reschedule", href: `/bookings/${id}/reschedule` });
  });

  it("an ended booking is only viewed; staff copies open the dashboard; no booking, no links", () => {
    expect(messageLinks("booking_cancelled", id, "cancelled")).toEqual([{ kind: "view", href: `/bookings/${id}` }]);
    expect(messageLinks("staff_new_booking", id, "confirmed")).toEqual([{ kind: "manage", href: `/dashboard/bookings/${id}` }]);
    expect(messageLinks("booking_confirmed", null, null)).toEqual([]);
  });
});
