import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { channels } from "@/lib/notifications/deliver";
import { listDevOutbox } from "@/lib/notifications/dev-outbox";
import { normalizePhone } from "@/lib/validations/phone";

const querySchema = z.object({ to: z.string().trim().max(254).optional(), channel: z.enum(["email", "sms"]).optional() });

/**
 * What the dev mail/SMS transports sent (the embedded default has no provider), read from the
 * notification rows so a separate worker process's sends show too: staff read the codes and
 * messages that would have gone out. 404 once a real provider is configured for both channels.
 */
export const GET = apiRoute({ auth: "staff", query: querySchema }, async ({ query }) => {
  if (channels().sms.provider !== "dev" && channels().email.provider !== "dev") throw new AppError("NOT_FOUND", "devTransportOff");
  const to = query.to ? (normalizePhone(query.to) ?? query.to.toLowerCase()) : undefined;
  return NextResponse.json({ messages: await listDevOutbox(getDb(), { to, channel: query.channel, limit: 100 }) });
});
