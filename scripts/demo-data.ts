import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { businesses, resources, schedules, services, users, type WeeklyHours } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { generateTimeslots } from "@/lib/booking/generate-timeslots";
import { demoAccounts } from "@/lib/demo-accounts";

const weekdays = (ranges: { start: string; end: string }[]): WeeklyHours => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
});

/**
 * Demo data: one business, staff and a room, a 1:1 service with a deposit, an
 * 8-seat group class and a free consultation, four weeks of slots; with `demoAccounts`
 * (the demo and the tests only, SEED_DEMO_ACCOUNTS=1) also the demo accounts, whose
 * password is public. Production creates its first admin with `npm run admin:create`.
 * Safe to run twice: existing rows are kept, slots are topped up.
 */
export async function seed(
  db: Db,
  now = new Date(),
  opts: { demoAccounts?: boolean } = {},
): Promise<{ business: string; slots: number; demoAccounts: number }> {
  if (opts.demoAccounts) await seedDemoAccounts(db);
  const [staffUser] = opts.demoAccounts ? await db.select().from(users).where(eq(users.email, demoAccounts[1].email)) : [];

  let [business] = await db.select().from(businesses).where(eq(businesses.slug, "demo"));
  if (!business) {
    [business] = await db
      .insert(businesses)
      .values({
        slug: "demo",
        name: "悦康健康工作室",
        timezone: "Asia/Shanghai",
        phone: "021-5555-0100",
        address: "上海市徐汇区漕溪北路 88 号 3 楼",
        policy: {
          minNoticeMin: 60,
          maxAdvanceDays: 30,
          cancelDeadlineHours: 2,
          refundTiers: [
            { minHoursBefore: 24, percent: 100 },
            { minHoursBefore: 2, percent: 50 },
            { minHoursBefore: 0, percent: 0 },
          ],
          maxActiveBookingsPerCustomer: 5,
          holdMinutes: 15,
        },
      })
      .returning();
    if (!business) throw new Error("business not created");

    const [doctor, room] = await db
      .insert(resources)
      .values([
        { businessId: business.id, kind: "staff", name: "李医生", userId: staffUser?.id ?? null },
        { businessId: business.id, kind: "room", name: "瑜伽室 A" },
      ])
      .returning();
    if (!doctor || !room) throw new Error("resources not created");

    const created = await db
      .insert(services)
      .values([
        {
          businessId: business.id,
          kind: "appointment",
          name: "中医推拿（60 分钟）",
          nameEn: "Tuina massage (60 min)",
          description: "一对一推拿理疗，由李医生亲自操作。预约需付 ¥50 定金，到店付余款。",
          descriptionEn: "One-to-one tuina therapy with Dr Li. A ¥50 deposit books it; the rest is paid at the clinic.",
          durationMin: 60,
          priceFen: 28800,
          depositFen: 5000,
          capacity: 1,
          bufferAfterMin: 15,
          resourceId: doctor.id,
          rules: { payment: { mode: "deposit" } },
          fields: [
            {
              key: "symptoms",
              type: "textarea",
              label: { "zh-CN": "不适部位或症状", en: "Where does it hurt?" },
              required: true,
              max: 500,
            },
            { key: "firstVisit", type: "checkbox", label: { "zh-CN": "首次到店", en: "First visit" } },
          ],
        },
        {
          businessId: business.id,
          kind: "class",
          name: "晨间流瑜伽小班课",
          nameEn: "Morning flow yoga (small group)",
          description: "8 人小班，适合初中级学员，请自带瑜伽垫。",
          descriptionEn: "Small group of 8 for beginners and intermediates; please bring your own mat.",
          durationMin: 75,
          priceFen: 9900,
          depositFen: 0,
          capacity: 8,
          resourceId: room.id,
          rules: { payment: { mode: "full" } },
          fields: [
            {
              key: "level",
              type: "select",
              label: { "zh-CN": "练习水平", en: "Level" },
              required: true,
              options: [
                { value: "beginner", label: { "zh-CN": "初级", en: "Beginner" } },
                { value: "intermediate", label: { "zh-CN": "中级", en: "Intermediate" } },
              ],
            },
          ],
        },
        {
          businessId: business.id,
          kind: "consultation",
          name: "免费健康咨询（20 分钟）",
          nameEn: "Free health consultation (20 min)",
          description: "线上或到店均可，了解适合你的调理方案。",
          descriptionEn: "Online or at the clinic: find the care plan that suits you.",
          durationMin: 20,
          priceFen: 0,
          depositFen: 0,
          capacity: 1,
          fields: [{ key: "topic", type: "text", label: { "zh-CN": "想咨询的问题", en: "What would you like to ask?" }, max: 200 }],
        },
      ])
      .returning();
    const [tuina, yoga, consult] = created;
    if (!tuina || !yoga || !consult) throw new Error("services not created");

    await db.insert(schedules).values([
      {
        serviceId: tuina.id,
        weeklyHours: {
          ...weekdays([
            { start: "09:00", end: "12:00" },
            { start: "13:30", end: "18:00" },
          ]),
          sat: [{ start: "10:00", end: "16:00" }],
        },
        breaks: { wed: [{ start: "15:00", end: "15:30" }] },
        slotIntervalMin: 75,
      },
      {
        serviceId: yoga.id,
        weeklyHours: {
          tue: [{ start: "07:00", end: "08:15" }],
          thu: [{ start: "07:00", end: "08:15" }],
          sat: [{ start: "09:00", end: "10:15" }],
        },
        slotIntervalMin: 75,
      },
      {
        serviceId: consult.id,
        weeklyHours: weekdays([
          { start: "10:00", end: "12:00" },
          { start: "14:00", end: "17:00" },
        ]),
        slotIntervalMin: 30,
      },
    ]);
  }

  let slots = 0;
  const all = await db.select({ id: services.id }).from(services).where(eq(services.businessId, business.id));
  for (const s of all) slots += (await generateTimeslots(db, s.id, { days: 28, now })).created;
  return { business: business.id, slots, demoAccounts: opts.demoAccounts ? demoAccounts.length : 0 };
}

async function seedDemoAccounts(db: Db): Promise<void> {
  const password = await hashPassword(demoAccounts[0].password);
  for (const a of demoAccounts) {
    await db
      .insert(users)
      .values({
        name: a.name,
        email: a.email,
        phone: a.phone,
        role: a.role,
        passwordHash: password,
        groups: a.role === "customer" ? ["member"] : [],
      })
      .onConflictDoNothing();
  }
}
