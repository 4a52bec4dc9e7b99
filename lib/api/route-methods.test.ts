import { describe, expect, it, vi } from "vitest";
import { routeFiles } from "@/tests/fuzz/requests";
import { allowedMethods, routeMethods } from "./route-methods";

vi.mock("next-auth", () => {
  class AuthError extends Error {}
  class CredentialsSignin extends AuthError {}
  return { default: () => ({ auth: (page: unknown) => page, handlers: {} }), AuthError, CredentialsSignin };
});

describe("the proxy's table of route methods", () => {
  it("is the methods each route file under app/api exports", async () => {
    const actual: Record<string, string[]> = {};
    for (const r of routeFiles()) {
      if (r.catchAll) continue;
      const mod = (await import(r.file)) as Record<string, unknown>;
      actual[r.template] = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => typeof mod[m] === "function");
    }
    expect(Object.fromEntries(Object.entries(routeMethods).map(([k, v]) => [k, [...v]]))).toEqual(actual);
  }, 60_000);

  it("matches a static segment before a parameter, and knows no unknown path", () => {
    expect(allowedMethods("/api/v1/notifications/read-all")).toEqual(["POST", "OPTIONS"]);
    expect(allowedMethods("/api/v1/bookings/%E0%A4%A")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/v1/nothing/here")).toBeUndefined();
  });
});
