import { describe, expect, it } from "vitest";
import { clientIp } from "./rate-limit";

describe("clientIp", () => {
  it("takes the first X-Forwarded-For hop, else X-Real-IP", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1", "x-real-ip": "10.0.0.2" }))).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.7" }))).toBe("198.51.100.7");
  });

  it("answers the caller's fallback when the balancer reports nothing", () => {
    expect(clientIp(new Headers())).toBe("local");
    expect(clientIp(new Headers({ "x-forwarded-for": " " }), "127.0.0.1")).toBe("127.0.0.1");
  });
});
