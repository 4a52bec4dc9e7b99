import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { listDevMessages } from "@/lib/notifications/channels";
import { channels } from "@/lib/notifications/deliver";
import { normalizePhone } from "@/lib/phone";

const querySchema = z.object({ to: z.string().trim().max(254).optional(), channel: z.enum(["email", "sms"]).optional() });

/**
 * What the dev mail/SMS transports recorded in this server process (the embedded default has no
 * provider): staff read the codes and messages that would have gone out. 404 once a real provider is configured.
 */
export const GET = apiRoute({ auth: "staff", query: querySchema }, async ({ query }) => {
  const devSms = channels().sms.provider === "dev";
  const devEmail = channels().email.provider === "dev";
  if (!devSms && !devEmail) throw new AppError("NOT_FOUND", "devTransportOff");
  const to = query.to ? (normalizePhone(query.to) ?? query.to.toLowerCase()) : undefined;
  const messages = listDevMessages({ to, channel: query.channel }).filter((m) => (m.channel === "sms" ? devSms : devEmail));
  return NextResponse.json({ messages: messages.slice(0, 100) });
});
