import "server-only";
import { and, desc, eq, inArray, like } from "drizzle-orm";
import type { Db } from "@/db/client";
import { notifications, users } from "@/db/schema";
import type { ChannelKind, DevMessage } from "./channels";
import { channels, messageFor } from "./deliver";

/**
 * What the dev transports "sent", read from the database so every process sees it: the worker marks a
 * row sent with the dev transport's message id (`dev_sms_…`, `dev_email_…`), and the message is the
 * row rendered again exactly as the worker rendered it for the transport. This works the same when
 * the worker is a separate process (PostgreSQL deployments) as when it runs inside the app.
 * Only channels whose transport is the dev one are listed; none when a real provider is configured.
 */
export async function listDevOutbox(db: Db, filter: { to?: string; channel?: ChannelKind; limit?: number } = {}): Promise<DevMessage[]> {
  const kinds = (["email", "sms"] as const).filter((k) => channels()[k].provider === "dev" && (!filter.channel || filter.channel === k));
  if (kinds.length === 0) return [];
  // Recipients and phones are encrypted (lib/pii): the address is compared after reading, over the
  // newest sent messages (a dev transport's outbox, never a production one).
  const rows = await db
    .select({ n: notifications, email: users.email, phone: users.phone })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.userId))
    .where(and(inArray(notifications.channel, kinds), eq(notifications.status, "sent"), like(notifications.providerMessageId, "dev\\_%")))
    .orderBy(desc(notifications.sentAt), desc(notifications.createdAt))
    .limit(filter.to === undefined ? (filter.limit ?? 100) : 2000);
  const addressed = rows
    .map(({ n, email, phone }) => ({ n, to: n.recipient ?? (n.channel === "email" ? email : phone) }))
    .filter(({ to }) => filter.to === undefined || to === filter.to)
    .slice(0, filter.limit ?? 100);
  return addressed.flatMap(({ n, to }) => {
    if (!to || !n.providerMessageId) return [];
    const kind = n.channel as ChannelKind;
    const m = messageFor(n, to);
    return [
      {
        providerMessageId: n.providerMessageId,
        channel: kind,
        to,
        title: m.title,
        text: m.text,
        html: kind === "email" ? m.html : undefined,
        sms: kind === "sms" && m.sms ? { templateCode: m.sms.templateCode, params: { ...m.sms.params } } : undefined,
        attachments: kind === "email" ? (m.attachments ?? []).map((a) => a.filename) : [],
        idempotencyKey: n.idempotencyKey,
        at: n.sentAt ?? n.createdAt,
      },
    ];
  });
}
