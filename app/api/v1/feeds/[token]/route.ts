import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { feedByToken, feedTokenHash } from "@/lib/booking/calendar-feeds";
import { buildFeedIcs } from "@/lib/booking/feed-ics";
import { AppError } from "@/lib/errors";
import { calendarFeedLimits, consumeLimits } from "@/lib/rate-limit";

/**
 * A private calendar subscription (`/api/v1/feeds/<token>.ics`): no session, the secret token in
 * the address is the key. Unknown and revoked tokens are both 404.
 */
export const GET = apiRoute({ auth: "none" }, async ({ params }) => {
  const token = (params.token ?? "").replace(/\.ics$/, "");
  await consumeLimits(calendarFeedLimits(feedTokenHash(token)));
  const db = getDb();
  const feed = await feedByToken(db, token);
  const ics = feed && (await buildFeedIcs(db, feed));
  if (!ics) throw new AppError("NOT_FOUND", "feedNotFound");
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'inline; filename="yuyue.ics"',
      "cache-control": "private, no-store",
    },
  });
});
