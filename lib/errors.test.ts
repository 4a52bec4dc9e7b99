import { describe, expect, it } from "vitest";
import { errorToResponse } from "@/lib/api/handler";
import { AppError, isDbUnavailable } from "@/lib/errors";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
/** How drizzle wraps a driver error: "Failed query: …" with the driver's error as `cause`. */
const drizzleWrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1\nparams: "), { cause });

describe("database outage errors", () => {
  it("recognises lost, refused and not-ready connections, wrapped or not", () => {
    for (const code of [
      "CONNECT_TIMEOUT",
      "CONNECTION_CLOSED",
      "CONNECTION_DESTROYED",
      "ECONNREFUSED",
      "ECONNRESET",
      "57P01",
      "57P03",
      "08006",
      "53300",
    ]) {
      expect(isDbUnavailable(coded(code)), code).toBe(true);
      expect(isDbUnavailable(drizzleWrapped(coded(code))), `wrapped ${code}`).toBe(true);
    }
    // Auth.js puts what authorize() threw under cause.err.
    expect(isDbUnavailable(Object.assign(new Error("CallbackRouteError"), { cause: { err: drizzleWrapped(coded("ECONNREFUSED")) } }))).toBe(
      true,
    );
  });

  it("leaves bugs and constraint violations alone", () => {
    for (const e of [
      coded("23505"),
      coded("23P01"),
      coded("42P01"),
      new TypeError("x is undefined"),
      new AppError("SLOT_FULL", "full"),
      null,
      "text",
    ]) {
      expect(isDbUnavailable(e), String(e)).toBe(false);
    }
  });

  it("a route answers 503 UNAVAILABLE with Retry-After, a bug still 500", async () => {
    const down = errorToResponse(drizzleWrapped(coded("57P01", "terminating connection due to administrator command")), "GET /x");
    expect(down.status).toBe(503);
    expect(Number(down.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe("UNAVAILABLE");
    const bug = errorToResponse(new TypeError("boom"), "GET /x");
    expect(bug.status).toBe(500);
    expect(bug.headers.get("retry-after")).toBeNull();
  });
});
