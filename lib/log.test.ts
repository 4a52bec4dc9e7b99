import { afterEach, describe, expect, it, vi } from "vitest";
import { errorToResponse } from "@/lib/api/handler";
import { forLog, log, redact } from "./log";

const phone = "13800138000";
const hash = "scrypt$32768$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g=";

afterEach(() => vi.restoreAllMocks());

describe("log redaction", () => {
  it("masks phone numbers in any spelling, e-mail addresses, password hashes, tokens and query strings", () => {
    const line = redact(
      `GET /api/v1/staff/dev-messages?to=${phone}&channel=sms from +86 138-0013-8000 <wang.li@example.com> ` +
        `hash ${hash} Authorization: Bearer yy_abcdef123456 {"password":"hunter2hunter2"} https://pay.example.com/return?trade=1&phone=${phone}`,
    );
    expect(line).not.toContain(phone);
    expect(line).not.toContain("0013-8000");
    expect(line).not.toContain("wang.li");
    expect(line).not.toContain("c2FsdHNhbHRzYWx0");
    expect(line).not.toContain("yy_abcdef123456");
    expect(line).not.toContain("hunter2");
    expect(line).not.toContain("channel=sms");
    expect(line).toContain("/api/v1/staff/dev-messages?[redacted]");
    expect(line).toContain("138****8000");
    expect(line).toContain("w***@example.com");
    expect(line).toContain("[password-hash]");
  });

  it("a failed query's parameters and its cause never reach the log; an unexpected API error logs redacted", () => {
    const failed = new Error(
      `Failed query: insert into "users" ("name", "phone", "password_hash") values ($1, $2, $3)\nparams: 王,${phone},${hash}`,
      {
        cause: Object.assign(new Error(`duplicate key value violates unique constraint; Key (email)=(li@example.com) exists`), {
          code: "23505",
        }),
      },
    );
    const text = forLog(failed);
    expect(text).toContain("Failed query");
    expect(text).toContain("params: [redacted]");
    expect(text).toContain("[cause]");
    expect(text).not.toContain(phone);
    expect(text).not.toContain(hash);
    expect(text).not.toContain("li@example.com");

    const written: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(" ")));
    const res = errorToResponse(failed, "POST /api/v1/bookings");
    expect(res.status).toBe(500);
    log.error("[test]", { phone, email: "li@example.com", passwordHash: hash });
    expect(written).toHaveLength(2);
    for (const line of written) {
      expect(line).not.toContain(phone);
      expect(line).not.toContain(hash);
      expect(line).not.toContain("li@example.com");
    }
  });
});
