import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { coupons, passes, passPlans, serviceStaff, services, timeslots, users, waitlistEntries } from "@/db/schema";
import { createAdmin } from "@/lib/auth/create-admin";
import { demoAccountHints } from "@/lib/auth/demo-hints";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { demoAccounts } from "@/lib/demo-accounts";
import { AppError } from "@/lib/errors";
import { setupTestDb, uniq } from "@/tests/db";
import { seed } from "./demo-data";

setupTestDb();

const demoRows = () =>
  getDb()
    .select()
    .from(users)
    .where(
      inArray(
        users.email,
        demoAccounts.map((a) => a.email),
      ),
    );

describe("seed and the first admin", () => {
  it("seeds the business without any account unless demo accounts are asked for; twice is harmless", async () => {
    const first = await seed(getDb());
    expect(first.demoAccounts).toBe(0);
    expect(await demoRows()).toEqual([]);
    expect(await demoAccountHints()).toEqual([]);
    await expect(signInWithPassword(demoAccounts[2].email, demoAccounts[2].password, uniq("ip"))).rejects.toMatchObject({
      code: "INVALID_CREDENTIALS",
    });
    const again = await seed(getDb());
    expect(again.business).toBe(first.business);

    // The waitlist demo: the pilates class's next slot is full with two waiting, once however often seeded.
    const full = await getDb()
      .select({ booked: timeslots.bookedCount, capacity: timeslots.capacity, id: timeslots.id })
      .from(timeslots)
      .innerJoin(services, eq(services.id, timeslots.serviceId))
      .where(and(eq(services.nameEn, "Pilates small group (waitlist demo)"), eq(timeslots.bookedCount, 4)));
    expect(full).toHaveLength(1);

    // The salon: three stylists offer the haircut, each slot holds three seats.
    const [haircut] = await getDb().select().from(services).where(eq(services.nameEn, "Women's haircut (pick your stylist)"));
    expect(await getDb().select().from(serviceStaff).where(eq(serviceStaff.serviceId, haircut!.id))).toHaveLength(3);
    const cuts = await getDb().select().from(timeslots).where(eq(timeslots.serviceId, haircut!.id));
    expect(cuts.length).toBeGreaterThan(0);
    expect(new Set(cuts.map((c) => c.capacity))).toEqual(new Set([3]));
    const queue = await getDb().select().from(waitlistEntries).where(eq(waitlistEntries.timeslotId, full[0]!.id));
    expect(queue.map((e) => [e.rank, e.status])).toEqual([
      [1, "waiting"],
      [2, "waiting"],
    ]);

    // The demo and the tests: SEED_DEMO_ACCOUNTS=1.
    await seed(getDb(), new Date(), { demoAccounts: true });
    await seed(getDb(), new Date(), { demoAccounts: true });
    expect((await demoRows()).map((u) => u.role).sort()).toEqual(["admin", "customer", "staff"]);
    expect((await demoAccountHints()).map((a) => a.role)).toEqual(["customer", "staff", "admin"]);
    const admin = await signInWithPassword(demoAccounts[2].email, demoAccounts[2].password, uniq("ip"));
    expect(admin.role).toBe("admin");

    // Cards and coupons: plans of every kind, WELCOME20, and one card the demo customer holds (seeded once).
    const plans = await getDb().select().from(passPlans).where(eq(passPlans.businessId, first.business));
    expect(new Set(plans.map((p) => p.kind))).toEqual(new Set(["visits", "value", "membership"]));
    expect((await getDb().select().from(coupons).where(eq(coupons.code, "WELCOME20"))).length).toBe(1);
    const customer = (await demoRows()).find((u) => u.role === "customer")!;
    expect(await getDb().select().from(passes).where(eq(passes.customerId, customer.id))).toEqual([
      expect.objectContaining({ kind: "visits", remainingUses: 3 }),
    ]);
  });

  it("admin:create makes a new admin, or promotes an existing account without touching its password", async () => {
    const email = `${uniq("boss")}@example.com`;
    const admin = await createAdmin(getDb(), { email, name: "店长", password: "a-long-admin-passphrase" });
    expect(admin.role).toBe("admin");
    expect((await signInWithPassword(email.toUpperCase(), "a-long-admin-passphrase", uniq("ip"))).id).toBe(admin.id);

    const again = await createAdmin(getDb(), { email, name: "店长", password: "another-passphrase-1" });
    expect(again.id).toBe(admin.id);
    await expect(signInWithPassword(email, "another-passphrase-1", uniq("ip"))).rejects.toBeInstanceOf(AppError);

    await expect(createAdmin(getDb(), { email: "not-an-email", name: "x", password: "a-long-admin-passphrase" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
  });
});
