import { eq } from "drizzle-orm";
import type { JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { DELETE as revokeRoute } from "@/app/api/v1/auth/tokens/[id]/route";
import { GET as listRoute } from "@/app/api/v1/auth/tokens/route";
import { GET as staffBookings } from "@/app/api/v1/staff/bookings/route";
import { PUT as setRoleRoute } from "@/app/api/v1/staff/users/[id]/role/route";
import { getDb } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer } from "@/tests/fixtures";
import { callRoute } from "@/tests/routes";
import { issueApiToken, userFromBearer } from "./api-tokens";
import { changePassword } from "./change-password";
import { authConfig, sessionExpired, STAFF_IDLE_S, STAFF_SESSION_S } from "./config";
import { hashPassword } from "./password";
import { recheckSessionToken } from "./session-check";
import { endSessions, sessionState } from "./session-state";
import { setUserRole } from "./set-role";

setupTestDb();

/** The cookie a sign-in writes, as Auth.js's jwt callback builds it. */
function signedIn(user: { id: string; role: "customer" | "staff" | "admin"; sessionVersion: number }): JWT {
  const token = authConfig.callbacks.jwt({ token: {}, user: { ...user, locale: "zh-CN" } } as never);
  if (!token) throw new Error("no token");
  return token;
}

describe("browser sessions", () => {
  it("a demoted staff member's session ends at once; the cached state is invalidated exactly", async () => {
    const admin = await makeCustomer(getDb(), { role: "admin" });
    const staff = await makeCustomer(getDb(), { role: "staff" });
    const cookie = signedIn({ id: staff.id, role: "staff", sessionVersion: 0 });
    // Two reads: the second is served by the cache.
    expect((await recheckSessionToken({ ...cookie }))?.role).toBe("staff");
    expect((await recheckSessionToken({ ...cookie }))?.role).toBe("staff");
    await setUserRole({ userId: staff.id, role: "customer", actor: { id: admin.id, role: "admin" } });
    expect(await recheckSessionToken({ ...cookie })).toBeNull();
    // Signing in again gives a customer's session.
    const state = await sessionState(staff.id);
    expect(state).toEqual({ role: "customer", sessionVersion: 1 });
    expect((await recheckSessionToken(signedIn({ id: staff.id, ...state! })))?.role).toBe("customer");
  });

  it("sign-out and a password change end every session; a removed account's session ends", async () => {
    const user = await makeCustomer(getDb(), { passwordHash: await hashPassword("old-password-1") });
    const cookie = signedIn({ id: user.id, role: "customer", sessionVersion: 0 });
    const { token } = await issueApiToken(user.id);
    await endSessions(user.id); // what signOut's event does
    expect(await recheckSessionToken({ ...cookie })).toBeNull();
    expect(await userFromBearer(`Bearer ${token}`)).not.toBeNull(); // sign-out leaves API tokens alone

    const second = signedIn({ id: user.id, role: "customer", sessionVersion: 1 });
    await expect(changePassword(user.id, "wrong", "new-password-2")).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    expect(await recheckSessionToken({ ...second })).not.toBeNull();
    await changePassword(user.id, "old-password-1", "new-password-2");
    expect(await recheckSessionToken({ ...second })).toBeNull();
    expect(await userFromBearer(`Bearer ${token}`)).toBeNull();

    const third = signedIn({ id: user.id, role: "customer", sessionVersion: 2 });
    expect(await recheckSessionToken({ ...third })).not.toBeNull();
    await getDb().delete(users).where(eq(users.id, user.id));
    await endSessions(user.id);
    expect(await recheckSessionToken({ ...third })).toBeNull();
  });

  it("staff sessions end after 30 idle minutes or 12 hours; customers' do not", () => {
    const at = 1_800_000_000;
    const staff = { role: "staff", authAt: at, seenAt: at };
    expect(sessionExpired(staff, at + STAFF_IDLE_S - 1)).toBe(false);
    expect(sessionExpired(staff, at + STAFF_IDLE_S + 1)).toBe(true);
    expect(sessionExpired({ ...staff, seenAt: at + STAFF_SESSION_S - 60 }, at + STAFF_SESSION_S + 1)).toBe(true);
    expect(sessionExpired({ role: "customer", authAt: at, seenAt: at }, at + 7 * 86_400)).toBe(false);
  });
});

describe("API tokens", () => {
  it("expire, carry a scope, and follow the owner's current role", async () => {
    const staff = await makeCustomer(getDb(), { role: "staff" });
    const admin = await makeCustomer(getDb(), { role: "admin" });
    const staffToken = await issueApiToken(staff.id);
    expect(staffToken.scope).toBe("staff");
    expect(staffToken.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    const customerScoped = await issueApiToken(staff.id, "app", "customer");
    expect((await userFromBearer(`Bearer ${customerScoped.token}`))?.role).toBe("customer");
    expect((await callRoute(staffBookings, { path: "/api/v1/staff/bookings", ip: uniq(), token: customerScoped.token })).status).toBe(403);
    // Past authentication and the role check (what it answers then is the route's business).
    expect([401, 403]).not.toContain(
      (await callRoute(staffBookings, { path: "/api/v1/staff/bookings", ip: uniq(), token: staffToken.token })).status,
    );

    const customer = await makeCustomer(getDb());
    await expect(issueApiToken(customer.id, "x", "staff")).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Expired: refused.
    const old = await issueApiToken(customer.id);
    await getDb()
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, old.id));
    expect(await userFromBearer(`Bearer ${old.token}`)).toBeNull();

    // Demotion through the admin API: the staff token stops working for staff routes at once.
    const { token: adminToken } = await issueApiToken(admin.id);
    const demote = await callRoute(setRoleRoute, {
      method: "PUT",
      path: `/api/v1/staff/users/${staff.id}/role`,
      ip: uniq(),
      token: adminToken,
      body: { role: "customer" },
      params: { id: staff.id },
    });
    expect(demote.status).toBe(200);
    expect((await callRoute(staffBookings, { path: "/api/v1/staff/bookings", ip: uniq(), token: staffToken.token })).status).toBe(401);
    // Only admins change roles.
    const byStaff = await callRoute(setRoleRoute, {
      method: "PUT",
      path: `/api/v1/staff/users/${admin.id}/role`,
      ip: uniq(),
      token: customerScoped.token,
      body: { role: "customer" },
      params: { id: admin.id },
    });
    expect(byStaff.status).toBe(403);
  });

  it("are listed and revoked by their owner only", async () => {
    const owner = await makeCustomer(getDb());
    const other = await makeCustomer(getDb());
    const a = await issueApiToken(owner.id, "phone");
    const b = await issueApiToken(owner.id, "laptop");
    const { token: otherToken } = await issueApiToken(other.id);

    const listed = await (await callRoute(listRoute, { path: "/api/v1/auth/tokens", ip: uniq(), token: a.token })).json();
    expect(listed.tokens.map((t: { id: string }) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect(JSON.stringify(listed)).not.toContain(a.token);
    expect(listed.tokens[0]).toMatchObject({ scope: "customer", prefix: expect.any(String), expiresAt: expect.any(String) });

    const del = (id: string, token: string) =>
      callRoute(revokeRoute, { method: "DELETE", path: `/api/v1/auth/tokens/${id}`, ip: uniq(), token, params: { id } });
    expect((await del(b.id, otherToken)).status).toBe(404);
    expect((await del(b.id, a.token)).status).toBe(204);
    expect((await del(b.id, a.token)).status).toBe(404);
    expect(await userFromBearer(`Bearer ${b.token}`)).toBeNull();
    expect((await del("not-a-uuid", a.token)).status).toBe(404);
    // Revoking the token in use signs that client out.
    expect((await del(a.id, a.token)).status).toBe(204);
    expect((await callRoute(listRoute, { path: "/api/v1/auth/tokens", ip: uniq(), token: a.token })).status).toBe(401);
  });
});
