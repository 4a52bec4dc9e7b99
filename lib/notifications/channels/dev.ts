import "server-only";
import { randomUUID } from "node:crypto";
import { type Channel, type ChannelKind, type ChannelMessage, requireSms, type SmsContent } from "./types";

/**
 * Dev transports: used when no provider keys are set (the embedded default). They keep the
 * rendered message in process memory so staff pages and tests can read what would have been sent.
 */

export type DevMessage = {
  providerMessageId: string;
  channel: ChannelKind;
  to: string;
  title: string;
  text: string;
  html?: string;
  sms?: SmsContent;
  /** Attachment file names (contents are not kept). */
  attachments: string[];
  idempotencyKey: string;
  at: Date;
};

type Store = { messages: Map<string, DevMessage> };

/** Bounded so a long-running demo or a throughput benchmark cannot grow memory without limit. */
export const DEV_STORE_LIMIT = 10_000;

// On globalThis under a registered symbol: Next.js may load this module more than once per
// process (separate server bundles, dev reloads), and they must all see one store.
const STORE = Symbol.for("yuyue.notifications.dev-messages");

function store(): Store {
  const g = globalThis as unknown as Record<symbol, Store | undefined>;
  const existing = g[STORE];
  if (existing) return existing;
  const created: Store = { messages: new Map() };
  g[STORE] = created;
  return created;
}

export function createDevChannel(kind: ChannelKind, options: { now?: () => Date } = {}): Channel {
  const now = options.now ?? (() => new Date());
  return {
    kind,
    provider: "dev",
    // The store answers a known key with the first message, like Resend does for 24 h.
    dedupSeconds: 24 * 3600,
    async send(message: ChannelMessage) {
      const sms = kind === "sms" ? requireSms(message, "dev") : undefined;
      const { messages } = store();
      const key = `${kind}:${message.idempotencyKey}`;
      const seen = messages.get(key);
      if (seen) return { providerMessageId: seen.providerMessageId };

      const stored: DevMessage = {
        providerMessageId: `dev_${kind}_${randomUUID()}`,
        channel: kind,
        to: message.to,
        title: message.title,
        text: message.text,
        html: kind === "email" ? message.html : undefined,
        sms: sms ? { templateCode: sms.templateCode, params: { ...sms.params } } : undefined,
        attachments: kind === "email" ? (message.attachments ?? []).map((a) => a.filename) : [],
        idempotencyKey: message.idempotencyKey,
        at: now(),
      };
      messages.set(key, stored);
      while (messages.size > DEV_STORE_LIMIT) {
        const oldest = messages.keys().next();
        if (oldest.done) break;
        messages.delete(oldest.value);
      }
      return { providerMessageId: stored.providerMessageId };
    },
  };
}

/** Stored messages, newest first, optionally for one recipient and/or one channel. */
export function listDevMessages(filter: { to?: string; channel?: ChannelKind } = {}): DevMessage[] {
  const out: DevMessage[] = [];
  for (const m of store().messages.values()) {
    if (filter.to !== undefined && m.to !== filter.to) continue;
    if (filter.channel !== undefined && m.channel !== filter.channel) continue;
    out.push({ ...m, attachments: [...m.attachments] });
  }
  return out.reverse();
}

/** Empties the store (tests, and the demo's reset). */
export function clearDevMessages(): void {
  store().messages.clear();
}
