import { expect, test } from "@playwright/test";
import { demo, mailedCode, registerByEmail, unique } from "./helpers";

test.describe("REST API contract", () => {
  test("health reports db, cache and queue", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ok", db: "ok", cache: "ok", queue: "ok" });
  });

  test("register (the e-mail code mailed by the first call) → token → services", async ({ request }) => {
    const email = `${unique("api")}@example.com`;
    const first = await request.post("/api/v1/auth/register", { data: { email, password: "password-123", name: "接口用户" } });
    expect(first.status()).toBe(202);
    expect(await first.json()).toEqual({ pending: true, expiresInSec: 600, resendAfterSec: 60 });
    const emailCode = await mailedCode(request, email);
    const reg = await request.post("/api/v1/auth/register", { data: { email, password: "password-123", name: "接口用户", emailCode } });
    expect(reg.status()).toBe(201);
    const registered = await reg.json();
    expect(registered.user).toMatchObject({ email, name: "接口用户", role: "customer" });
    expect(registered.user.passwordHash).toBeUndefined();
    expect(registered.token).toMatch(/^yy_/);

    const tok = await request.post("/api/v1/auth/token", { data: { email, password: "password-123" } });
    expect(tok.status()).toBe(200);
    const { token } = await tok.json();
    expect(token).not.toBe(registered.token);

    const services = await request.get("/api/v1/services", { headers: { authorization: `Bearer ${token}` } });
    expect(services.status()).toBe(200);
    const list = (await services.json()).services;
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (const s of list) {
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(["id", "name", "description", "durationMin", "priceFen", "depositFen", "capacity", "currency", "fields"]),
      );
      expect(Number.isInteger(s.priceFen)).toBe(true);
    }
  });

  test("bad input → 400 with the error shape", async ({ request }) => {
    const res = await request.post("/api/v1/auth/register", { data: { email: "not-an-email", password: "x", name: "" } });
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(typeof body.error.message).toBe("string");
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(["email", "password", "name"]));

    const notJson = await request.post("/api/v1/auth/token", { headers: { "content-type": "application/json" }, data: "{oops" });
    expect(notJson.status()).toBe(400);
    expect((await notJson.json()).error.code).toBe("VALIDATION_FAILED");
  });

  test("registering a taken address answers like a new one, and no code can take the account over", async ({ request }) => {
    test.setTimeout(180_000);
    const email = `${unique("dup")}@example.com`;
    expect((await registerByEmail(request, { email, password: "password-123", name: "A" })).status()).toBe(201);
    // one mail a minute per address, taken or not
    await new Promise((resolve) => setTimeout(resolve, 61_000));
    const again = await request.post("/api/v1/auth/register", {
      data: { email: email.toUpperCase(), password: "password-123", name: "B" },
    });
    expect(again.status()).toBe(202);
    const fresh = await request.post("/api/v1/auth/register", {
      data: { email: `${unique("new")}@example.com`, password: "password-123", name: "C" },
    });
    expect(await again.json()).toEqual(await fresh.json());
    const guess = await request.post("/api/v1/auth/register", {
      data: { email, password: "password-123", name: "B", emailCode: "123456" },
    });
    expect(guess.status()).toBe(401);
    expect((await guess.json()).error.code).toBe("INVALID_CREDENTIALS");
  });

  test("wrong credentials → 401", async ({ request }) => {
    const res = await request.post("/api/v1/auth/token", { data: { email: demo.customer.email, password: "wrong-password" } });
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe("INVALID_CREDENTIALS");
  });

  test("staff endpoint: 401 without token, 403 for a customer token, 200 for staff", async ({ request }) => {
    expect((await request.get("/api/v1/staff/customers")).status()).toBe(401);
    const bogus = await request.get("/api/v1/staff/customers", { headers: { authorization: "Bearer yy_nope" } });
    expect(bogus.status()).toBe(401);

    const customerToken = (await (await request.post("/api/v1/auth/token", { data: demo.customer })).json()).token;
    const forbidden = await request.get("/api/v1/staff/customers", { headers: { authorization: `Bearer ${customerToken}` } });
    expect(forbidden.status()).toBe(403);
    expect((await forbidden.json()).error.code).toBe("FORBIDDEN");

    const staffToken = (await (await request.post("/api/v1/auth/token", { data: demo.staff })).json()).token;
    const ok = await request.get("/api/v1/staff/customers?q=张小满", { headers: { authorization: `Bearer ${staffToken}` } });
    expect(ok.status()).toBe(200);
    const { customers } = await ok.json();
    expect(customers.map((c: { email: string }) => c.email)).toContain(demo.customer.email);
  });

  test("openapi.json describes the contract", async ({ request }) => {
    const doc = await (await request.get("/api/v1/openapi.json")).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ["/api/health", "/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/services", "/api/v1/staff/customers"]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths["/api/v1/auth/register"].post.requestBody.content["application/json"].schema.properties).toHaveProperty("password");
  });
});
