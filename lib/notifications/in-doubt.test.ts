import { and, asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { notificationDeliveries, notifications } from "@/db/schema";
import { setupTestDb, uniq } from "@/tests/db";
import { makeCustomer, bookingMessageData } from "@/tests/fixtures";
import { ChannelError, createDevChannel, type Channel, type ChannelMessage, type Channels } from "./channels";
import { resendNotification } from "./dead-letters";
import { deliverNotification, RECORD_SETTLE_MS } from "./deliver";
import { notify, type ChannelName } from "./outbox";

/**
 * A delivery attempt that may have reached the provider (its worker was killed during the call,
 * or the call ended without an answer) is never blindly repeated: re-sent under the same key
 * where the provider deduplicates, looked up where it keeps send records, else left to staff.
 */

setupTestDb();

const holder = globalThis as unknown as { yuyueChannels?: Channels };
afterEach(() => {
  holder.yuyueChannels = undefined;
});

type Fake = Channel & { sent: ChannelMessage[]; lookups: { key: string; since: Date }[] };

/** A provider fake: `send` answers (or fails) as told; `findSent`/`dedupSeconds` only when given. */
function fakeChannel(
  kind: "email" | "sms",
  opts: { dedupSeconds?: number; records?: Set<string>; lookupFails?: boolean; send?: (m: ChannelMessage) => Promise<void> } = {},
): Fake {
  const sent: ChannelMessage[] = [];
  const lookups: { key: string; since: Date }[] = [];
  const channel: Fake = {
    kind,
    provider: "dev",
    sent,
    lookups,
    async send(message) {
      sent.push(message);
      await opts.send?.(message);
      return { providerMessageId: `p-${message.idempotencyKey}` };
    },
  };
  if (opts.dedupSeconds) Object.assign(channel, { dedupSeconds: opts.dedupSeconds });
  const records = opts.records;
  if (records) {
    channel.findSent = async (message, since) => {
      lookups.push({ key: message.idempotencyKey, since });
      if (opts.lookupFails)
        throw new ChannelError("QuerySendDetails 503", { retryable: true, code: "ServiceUnavailable", provider: "aliyun" });
      return records.has(message.idempotencyKey) ? { providerMessageId: `found-${message.idempotencyKey}` } : null;
    };
  }
  return channel;
}

function use(channel: Fake) {
  holder.yuyueChannels =
    channel.kind === "email" ? { email: channel, sms: createDevChannel("sms") } : { email: createDevChannel("email"), sms: channel };
}

async function message(channel: ChannelName) {
  const db = getDb();
  const customer = await makeCustomer(db, {
    phone: `139${Math.floor(Math.random() * 1e8)
      .toString()
      .padStart(8, "0")}`,
  });
  const [id] = await db.transaction((tx) =>
    notify(tx, { userId: customer.id, event: "booking_confirmed", data: bookingMessageData(), key: uniq("k"), channels: [channel] }),
  );
  if (!id) throw new Error("no message written");
  const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
  return row!;
}

/** The state a worker killed during the provider call leaves: attempt 1 started, never settled. */
async function leftStarted(id: string, agoMs: number) {
  await getDb()
    .insert(notificationDeliveries)
    .values({ notificationId: id, attempt: 1, outcome: "started", createdAt: new Date(Date.now() - agoMs) });
}

const history = (id: string) =>
  getDb()
    .select()
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.notificationId, id))
    .orderBy(asc(notificationDeliveries.createdAt));
const rowOf = async (id: string) => (await getDb().select().from(notifications).where(eq(notifications.id, id)))[0]!;
const inboxCopies = async (key: string) =>
  getDb()
    .select()
    .from(notifications)
    .where(and(eq(notifications.idempotencyKey, key.replace(/:(email|sms)$/, ":in_app")), eq(notifications.channel, "in_app")));

describe("every attempt is recorded before the provider is called", () => {
  it("the started row is committed while the call is in flight, and settled by its outcome", async () => {
    const n = await message("email");
    let seenDuringCall: string[] = [];
    const channel = fakeChannel("email", {
      dedupSeconds: 3600,
      send: async () => {
        seenDuringCall = (await history(n.id)).map((h) => `${h.attempt}:${h.outcome}`);
      },
    });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("sent");
    expect(seenDuringCall).toEqual(["1:started"]);
    expect((await history(n.id)).map((h) => [h.attempt, h.outcome, h.providerMessageId])).toEqual([[1, "sent", `p-${n.idempotencyKey}`]]);
  });
});

describe("an attempt left in doubt by a killed worker", () => {
  it("email (provider deduplicates on the key): sent again under the same key, one attempt in the history", async () => {
    const n = await message("email");
    await leftStarted(n.id, 5_000);
    const channel = fakeChannel("email", { dedupSeconds: 3600 });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("sent");
    expect(channel.sent.map((m) => m.idempotencyKey)).toEqual([n.idempotencyKey]);
    expect(await rowOf(n.id)).toMatchObject({ status: "sent", attempts: 1 });
    expect((await history(n.id)).map((h) => [h.attempt, h.outcome])).toEqual([[1, "sent"]]);
  });

  it("email whose payload changed since (the provider refuses the reused key): staff review, not dead", async () => {
    const n = await message("email");
    await leftStarted(n.id, 30_000);
    const channel = fakeChannel("email", {
      dedupSeconds: 3600,
      send: async () => {
        throw new ChannelError("Resend invalid_idempotent_request: Same idempotency key used with a different request payload", {
          retryable: false,
          code: "invalid_idempotent_request",
          provider: "resend",
          status: 409,
        });
      },
    });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("review");
    expect(await rowOf(n.id)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await history(n.id)).map((h) => h.outcome)).toEqual(["in_doubt"]);
  });

  it("email past the provider's dedup window: not re-sent, left to staff review", async () => {
    const n = await message("email");
    await leftStarted(n.id, 2 * 3600_000);
    const channel = fakeChannel("email", { dedupSeconds: 3600 });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("review");
    expect(channel.sent).toEqual([]);
    expect(await rowOf(n.id)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("SMS the provider has a record of: settled as sent without sending again", async () => {
    const n = await message("sms");
    await leftStarted(n.id, 5_000);
    const channel = fakeChannel("sms", { records: new Set([n.idempotencyKey]) });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("sent");
    expect(channel.sent).toEqual([]);
    expect(channel.lookups.map((l) => l.key)).toEqual([n.idempotencyKey]);
    expect(await rowOf(n.id)).toMatchObject({ status: "sent", providerMessageId: `found-${n.idempotencyKey}` });
    expect((await history(n.id)).map((h) => h.outcome)).toEqual(["sent"]);
  });

  it("SMS with no record yet: asked again later, and sent once the provider's records have settled", async () => {
    const n = await message("sms");
    await leftStarted(n.id, 5_000);
    const channel = fakeChannel("sms", { records: new Set() });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("retry");
    expect(channel.sent).toEqual([]);
    expect(await rowOf(n.id)).toMatchObject({ status: "pending", attempts: 0 });
    expect((await history(n.id)).map((h) => h.outcome)).toEqual(["started"]);

    // The same attempt, long enough ago that the provider would have recorded it: it never got there.
    await getDb()
      .update(notificationDeliveries)
      .set({ createdAt: new Date(Date.now() - RECORD_SETTLE_MS - 1_000) })
      .where(eq(notificationDeliveries.notificationId, n.id));
    expect(await deliverNotification(getDb(), n.id, false)).toBe("sent");
    expect(channel.sent.map((m) => m.idempotencyKey)).toEqual([n.idempotencyKey]);
    expect((await history(n.id)).map((h) => [h.attempt, h.outcome])).toEqual([[1, "sent"]]);
  });

  it("SMS whose records cannot be read until the last attempt: staff review, inbox copy, never re-sent", async () => {
    const n = await message("sms");
    await leftStarted(n.id, 5_000);
    const channel = fakeChannel("sms", { records: new Set(), lookupFails: true });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("retry");
    expect(await deliverNotification(getDb(), n.id, true)).toBe("review");
    expect(channel.sent).toEqual([]);
    const row = await rowOf(n.id);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect((await history(n.id)).map((h) => h.outcome)).toEqual(["in_doubt"]);
    expect(await inboxCopies(n.idempotencyKey)).toHaveLength(1);
  });

  it("a provider that neither deduplicates nor keeps records: review at once; a staff resend then sends", async () => {
    const n = await message("sms");
    await leftStarted(n.id, 5_000);
    const channel = fakeChannel("sms");
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("review");
    expect(channel.sent).toEqual([]);
    expect(await rowOf(n.id)).toMatchObject({ status: "failed" });

    const staff = await makeCustomer(getDb(), { role: "staff" });
    await resendNotification(getDb(), staff, n.id, "checked with the customer: not received");
    expect(await deliverNotification(getDb(), n.id, false)).toBe("sent");
    expect(channel.sent).toHaveLength(1);
    expect((await history(n.id)).map((h) => [h.attempt, h.outcome])).toEqual([
      [1, "in_doubt"],
      [2, "sent"],
    ]);
  });
});

describe("a provider call that ends without an answer", () => {
  it("SMS timeout: the attempt stays open and the next one finds the provider's record instead of re-sending", async () => {
    const n = await message("sms");
    const records = new Set<string>();
    const channel = fakeChannel("sms", {
      records,
      send: async (m) => {
        records.add(m.idempotencyKey); // the provider took it; the answer is lost
        throw new ChannelError("Aliyun SMS network: read ETIMEDOUT", {
          retryable: true,
          code: "network",
          provider: "aliyun",
          maybeDelivered: true,
        });
      },
    });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("retry");
    expect(await rowOf(n.id)).toMatchObject({ status: "pending", attempts: 0 });
    expect((await history(n.id)).map((h) => h.outcome)).toEqual(["started"]);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("sent");
    expect(channel.sent).toHaveLength(1);
  });

  it("a definite refusal (an answer that says it was not accepted) is retried as before", async () => {
    const n = await message("sms");
    const channel = fakeChannel("sms", {
      records: new Set(),
      send: async () => {
        throw new ChannelError("Aliyun SMS isv.BUSINESS_LIMIT_CONTROL", {
          retryable: true,
          code: "isv.BUSINESS_LIMIT_CONTROL",
          provider: "aliyun",
        });
      },
    });
    use(channel);
    expect(await deliverNotification(getDb(), n.id, false)).toBe("retry");
    expect(await rowOf(n.id)).toMatchObject({ status: "pending", attempts: 1 });
    expect((await history(n.id)).map((h) => [h.attempt, h.outcome])).toEqual([[1, "failed"]]);
    expect(channel.lookups).toEqual([]);
  });
});
