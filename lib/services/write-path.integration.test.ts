import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { resources, services, type User } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { setupTestDb, uniq } from "@/tests/db";
import { createBooking } from "@/lib/booking/create-booking";
import { ensureBusiness, makeCustomer, makeService, makeSlot } from "@/tests/fixtures";

/**
 * The REST API and the dashboard must answer the same input the same way: each case below goes
 * through a real route handler (Bearer token) and through the real server action (staff session).
 * Only the framework around the action is replaced: the session lookup, revalidatePath and the
 * message catalogue.
 */
const session = vi.hoisted(() => ({ user: undefined as { id: string; role: string; name: string } | undefined }));
vi.mock("@/lib/auth", () => ({ auth: async () => (session.user ? { user: session.user } : null) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next-intl/server", () => ({ getTranslations: async () => (key: string) => key, getLocale: async () => "zh-CN" }));

const { POST: postService } = await import("@/app/api/v1/staff/services/route");
const { PATCH: patchService } = await import("@/app/api/v1/staff/services/[id]/route");
const { POST: postResource } = await import("@/app/api/v1/staff/resources/route");
const { PUT: putResource } = await import("@/app/api/v1/staff/resources/[id]/route");
const { GET: getCustomers } = await import("@/app/api/v1/staff/customers/route");
const { GET: getBookings } = await import("@/app/api/v1/staff/bookings/route");
const { saveServiceAction } = await import("@/lib/dashboard/actions/services");
const { saveResourceAction } = await import("@/app/dashboard/(staff)/resources/actions");
const { findCustomersAction } = await import("@/lib/dashboard/actions/calendar");

setupTestDb();

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let token = "";
let staff: User;

async function rest(handler: Handler, method: string, path: string, body?: unknown, params: Record<string, string> = {}) {
  const req = new NextRequest(`http://localhost${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
};

/** What the service editor posts: prices in yuan, JSON editors, checkbox "on". */
const serviceForm = (fields: Record<string, string>) =>
  form({
    id: "",
    name: uniq("表单服务"),
    nameEn: "",
    description: "",
    kind: "class",
    resourceId: "",
    priceFen: "0",
    depositFen: "",
    durationMin: "60",
    capacity: "1",
    bufferBeforeMin: "0",
    bufferAfterMin: "0",
    reminderOffsetsMin: "1440, 60",
    active: "on",
    rules: JSON.stringify({ minNoticeMin: 0 }),
    fields: "[]",
    ...fields,
  });

const api = {
  createService: (body: object) => rest(postService, "POST", "/api/v1/staff/services", body),
  updateService: (id: string, body: object) => rest(patchService, "PATCH", `/api/v1/staff/services/${id}`, body, { id }),
  createResource: (body: object) => rest(postResource, "POST", "/api/v1/staff/resources", body),
  replaceResource: (id: string, body: object) => rest(putResource, "PUT", `/api/v1/staff/resources/${id}`, body, { id }),
};
const refused = { ok: false, code: "VALIDATION_FAILED" };
const badRequest = { status: 400, json: { error: { code: "VALIDATION_FAILED" } } };

const serviceRow = async (id: string) => (await getDb().select().from(services).where(eq(services.id, id)))[0];
const resourceRow = async (id: string) => (await getDb().select().from(resources).where(eq(resources.id, id)))[0];

beforeAll(async () => {
  const db = getDb();
  await ensureBusiness(db);
  staff = await makeCustomer(db, { role: "staff", name: uniq("店员") });
  token = (await issueApiToken(staff.id)).token;
  session.user = { id: staff.id, role: "staff", name: staff.name };
});

describe("one write path for services", () => {
  it("takes up to 10,000 seats through the API and the dashboard alike, on create and on update", async () => {
    const created = await api.createService({ name: uniq("大课"), durationMin: 60, capacity: 5000 });
    expect(created.status).toBe(201);
    const viaApi = (created.json.service as { id: string }).id;

    const made = await saveServiceAction(null, serviceForm({ capacity: "5000" }));
    expect(made).toMatchObject({ ok: true });
    const viaDashboard = made.data!.id;
    expect((await serviceRow(viaDashboard))?.capacity).toBe(5000);

    expect((await api.updateService(viaDashboard, { capacity: 10_000 })).status).toBe(200);
    expect((await serviceRow(viaDashboard))?.capacity).toBe(10_000);
    expect(await saveServiceAction(null, serviceForm({ id: viaApi, name: "改名的大课", capacity: "8000" }))).toMatchObject({ ok: true });
    expect((await serviceRow(viaApi))?.capacity).toBe(8000);

    expect(await api.createService({ name: uniq("太大"), durationMin: 60, capacity: 10_001 })).toMatchObject(badRequest);
    expect(await api.updateService(viaApi, { capacity: 10_001 })).toMatchObject(badRequest);
    const formTooMany = await saveServiceAction(null, serviceForm({ id: viaApi, capacity: "10001" }));
    expect(formTooMany).toMatchObject(refused);
    expect(formTooMany.fieldErrors?.capacity).toBeDefined();
    expect((await serviceRow(viaApi))?.capacity).toBe(8000);
  });

  it("keeps an English description through both paths; a blank one falls back to the Chinese", async () => {
    const created = await api.createService({ name: uniq("双语"), durationMin: 30, description: "中文介绍", descriptionEn: "In English" });
    expect(created.status).toBe(201);
    const id = (created.json.service as { id: string }).id;
    expect(created.json.service).toMatchObject({ description: "中文介绍", descriptionEn: "In English" });
    expect(await saveServiceAction(null, serviceForm({ id, description: "中文", descriptionEn: "  Edited  " }))).toMatchObject({
      ok: true,
    });
    expect(await serviceRow(id)).toMatchObject({ description: "中文", descriptionEn: "Edited" });
    expect(await saveServiceAction(null, serviceForm({ id, descriptionEn: "" }))).toMatchObject({ ok: true });
    expect((await serviceRow(id))?.descriptionEn).toBeNull();
    expect((await api.updateService(id, { descriptionEn: "Back" })).status).toBe(200);
    expect((await serviceRow(id))?.descriptionEn).toBe("Back");
  });

  it("keeps the deposit within the price whichever path changes either", async () => {
    const created = await api.createService({ name: uniq("定金"), durationMin: 30, priceFen: 10_000, depositFen: 5000 });
    const id = (created.json.service as { id: string }).id;
    // Only the price changes, below the stored deposit.
    expect(await api.updateService(id, { priceFen: 1000 })).toMatchObject(badRequest);
    expect(await saveServiceAction(null, serviceForm({ id, priceFen: "10", depositFen: "50" }))).toMatchObject(refused);
    // The form's yuan are the API's fen: ¥88.50 is 8850.
    expect(await saveServiceAction(null, serviceForm({ id, priceFen: "¥88.50", depositFen: "20" }))).toMatchObject({ ok: true });
    expect(await serviceRow(id)).toMatchObject({ priceFen: 8850, depositFen: 2000 });
  });

  it("refuses a resource that is not the business's through both paths (a 400, not a foreign-key 500)", async () => {
    const stray = "00000000-0000-4000-8000-000000000000";
    expect(await api.createService({ name: uniq("无资源"), durationMin: 30, resourceId: stray })).toMatchObject(badRequest);
    expect(await saveServiceAction(null, serviceForm({ resourceId: stray }))).toMatchObject(refused);
  });
});

describe("one write path for resources", () => {
  it("links a resource only to a staff or admin account, never a customer, through both paths", async () => {
    const db = getDb();
    const customer = await makeCustomer(db);
    expect(await api.createResource({ kind: "staff", name: uniq("技师"), userId: customer.id })).toMatchObject(badRequest);
    const row = { id: "", kind: "staff", name: uniq("技师"), userId: customer.id, active: "on" };
    expect(await saveResourceAction(null, form(row))).toMatchObject(refused);
    expect(await db.select().from(resources).where(eq(resources.userId, customer.id))).toEqual([]);

    const ok = await api.createResource({ kind: "staff", name: uniq("技师"), userId: staff.id });
    expect(ok).toMatchObject({ status: 201, json: { resource: { userId: staff.id, active: true } } });
    const id = (ok.json.resource as { id: string }).id;
    // Re-pointing an existing one at a customer is refused the same way on both paths.
    expect(await api.replaceResource(id, { kind: "staff", name: "x", userId: customer.id })).toMatchObject(badRequest);
    expect(await saveResourceAction(null, form({ ...row, id }))).toMatchObject(refused);
    // And a staff change goes through both: the dashboard turns it off, the API renames it.
    expect(await saveResourceAction(null, form({ id, kind: "room", name: "一号房", userId: "" }))).toMatchObject({ ok: true });
    expect(await resourceRow(id)).toMatchObject({ kind: "room", userId: null, active: false });
    const renamed = await api.replaceResource(id, { kind: "room", name: "二号房" });
    expect(renamed).toMatchObject({ status: 200, json: { resource: { name: "二号房", active: true, userId: null } } });
  });
});

describe("one customer search", () => {
  it("matches %, _ and \\ literally through the API and the dashboard picker", async () => {
    const db = getDb();
    const p = uniq("搜");
    const names = [`${p}50%off`, `${p}50xoff`, `${p}a_b`, `${p}axb`, `${p}c\\d`, `${p}cd`];
    for (const name of names) await makeCustomer(db, { name });
    const viaApi = async (q: string) => {
      const res = await rest(getCustomers as Handler, "GET", `/api/v1/staff/customers?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return (res.json.customers as { name: string }[]).map((c) => c.name).sort();
    };
    const viaDashboard = async (q: string) => {
      const res = await findCustomersAction(q);
      expect(res.ok).toBe(true);
      return res.data!.map((c) => c.name).sort();
    };
    for (const [q, expected] of [
      [`${p}50%`, [`${p}50%off`]],
      [`${p}a_b`, [`${p}a_b`]],
      [`${p}c\\d`, [`${p}c\\d`]],
      [p, [...names].sort()],
    ] as const) {
      expect(await viaApi(q), `API q=${q}`).toEqual(expected);
      expect(await viaDashboard(q), `dashboard q=${q}`).toEqual(expected);
    }
  });

  it("finds bookings by a customer name with _ in it, not by what the wildcard would match", async () => {
    const db = getDb();
    const p = uniq("订");
    const service = await makeService(db);
    for (const name of [`${p}a_b`, `${p}axb`]) {
      const customer = await makeCustomer(db, { name });
      await createBooking({ customerId: customer.id, timeslotId: (await makeSlot(db, service)).id });
    }
    const res = await rest(getBookings as Handler, "GET", `/api/v1/staff/bookings?q=${encodeURIComponent(`${p}a_b`)}`);
    expect(res.status).toBe(200);
    expect((res.json.bookings as { customerName: string }[]).map((b) => b.customerName)).toEqual([`${p}a_b`]);
  });
});
