import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as register } from "@/app/api/v1/auth/register/route";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { setupTestDb, uniq } from "@/tests/db";
import { storedCodeFor } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";

setupTestDb();

const newPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const post = (body: unknown) => callRoute(register, { path: "/api/v1/auth/register", ip: uniq("ip"), body });

const codeFor = (phone: string) => storedCodeFor(getDb(), phone);

describe("POST /api/v1/auth/register with a phone number needs the number's SMS code", () => {
  it("no code → 400 on `code`; wrong code → 401; the right code → 201 with the number verified; e-mail alone needs none", async () => {
    const phone = newPhone();
    const missing = await post({ phone, password: "password-123", name: "无码" });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.details.map((d) => d.path)).toContain("code");

    const code = await codeFor(phone);
    const wrong = await post({ phone, code: code === "111111" ? "222222" : "111111", password: "password-123", name: "错码" });
    expect(wrong.status).toBe(401);
    expect(await getDb().select().from(users).where(eq(users.phone, phone))).toEqual([]);

    const ok = await post({ phone, code, password: "password-123", name: "有码" });
    expect(ok.status).toBe(201);
    const [row] = await getDb().select().from(users).where(eq(users.phone, phone));
    expect(row?.phoneVerifiedAt).not.toBeNull();

    const byEmail = await post({ email: `${uniq("r")}@test.local`, password: "password-123", name: "邮箱" });
    expect(byEmail.status).toBe(201);
  });
});
