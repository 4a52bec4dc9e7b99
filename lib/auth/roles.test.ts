import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { isStaff, requireStaff } from "./roles";

describe("requireStaff", () => {
  it("lets staff and admins through", () => {
    expect(() => requireStaff({ role: "staff" })).not.toThrow();
    expect(() => requireStaff({ role: "admin" })).not.toThrow();
    expect(isStaff("admin")).toBe(true);
  });

  it("refuses a customer with FORBIDDEN", () => {
    let caught: unknown;
    try {
      requireStaff({ role: "customer" });
    } catch (e) {
      caught = e;
    }
    expect(isAppError(caught) && caught.code).toBe("FORBIDDEN");
    expect(isStaff("customer")).toBe(false);
  });
});
