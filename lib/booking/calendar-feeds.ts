import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { calendarFeeds, type CalendarFeed } from "@/db/schema";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";

export type FeedScope = CalendarFeed["scope"];

export type CalendarFeedDto = { id: string; scope: FeedScope; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export const toFeedDto = (f: CalendarFeed): CalendarFeedDto => ({
  id: f.id,
  scope: f.scope,
  createdAt: f.createdAt.toISOString(),
  lastUsedAt: f.lastUsedAt?.toISOString() ?? null,
  revokedAt: f.revokedAt?.toISOString() ?? null,
});

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");
/** The stored form of a feed token (also its rate-limit key). */
export const feedTokenHash = (token: string) => sha256(token);
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The subscription address: webcal-compatible https, the token in the path, no session needed. */
export const feedUrl = (token: string) => `${appUrl()}/api/v1/feeds/${token}.ics`;

/** Staff feeds need a staff role; a customer feed is anyone's own bookings. */
function assertScope(actor: Actor, scope: FeedScope) {
  if (scope === "staff" && actor.role === "customer") throw new AppError("FORBIDDEN", "staffOnly");
}

/**
 * A new private feed for the actor (订阅日历): the token is returned once, only its hash is stored.
 * The active feed of the same scope is revoked in the same transaction (regenerate), so an address
 * that leaked stops working the moment a new one is made.
 */
export async function createCalendarFeed(db: Db, actor: Actor, scope: FeedScope): Promise<{ feed: CalendarFeedDto; url: string }> {
  assertScope(actor, scope);
  const token = randomBytes(32).toString("base64url");
  const feed = await db.transaction(async (tx) => {
    await tx
      .update(calendarFeeds)
      .set({ revokedAt: new Date() })
      .where(and(eq(calendarFeeds.userId, actor.id), eq(calendarFeeds.scope, scope), isNull(calendarFeeds.revokedAt)));
    const [row] = await tx
      .insert(calendarFeeds)
      .values({ userId: actor.id, scope, tokenHash: sha256(token) })
      .returning();
    if (!row) throw new Error("feed not created");
    await audit(tx, { actorId: actor.id, action: "calendar_feed.created", entityType: "calendar_feed", entityId: row.id, data: { scope } });
    return row;
  });
  return { feed: toFeedDto(feed), url: feedUrl(token) };
}

export async function listCalendarFeeds(db: Db, actor: Actor, scope: FeedScope): Promise<CalendarFeedDto[]> {
  assertScope(actor, scope);
  const rows = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.userId, actor.id), eq(calendarFeeds.scope, scope)))
    .orderBy(desc(calendarFeeds.createdAt))
    .limit(20);
  return rows.map(toFeedDto);
}

/** The user's live feed of the scope, for the page that offers to make, remake or revoke it. */
export async function activeCalendarFeed(db: Db, userId: string, scope: FeedScope): Promise<CalendarFeedDto | null> {
  const [feed] = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.userId, userId), eq(calendarFeeds.scope, scope), isNull(calendarFeeds.revokedAt)))
    .limit(1);
  return feed ? toFeedDto(feed) : null;
}

/** Revokes one of the actor's feeds: its address answers 404 from now on. Revoking twice is the same. */
export async function revokeCalendarFeed(db: Db, actor: Actor, scope: FeedScope, feedId: string): Promise<CalendarFeedDto> {
  assertScope(actor, scope);
  const [feed] = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.id, feedId), eq(calendarFeeds.userId, actor.id), eq(calendarFeeds.scope, scope)));
  if (!feed) throw new AppError("NOT_FOUND", "feedNotFound");
  if (feed.revokedAt) return toFeedDto(feed);
  const [revoked] = await db
    .update(calendarFeeds)
    .set({ revokedAt: new Date() })
    .where(and(eq(calendarFeeds.id, feed.id), isNull(calendarFeeds.revokedAt)))
    .returning();
  await audit(db, { actorId: actor.id, action: "calendar_feed.revoked", entityType: "calendar_feed", entityId: feed.id });
  return toFeedDto(revoked ?? feed);
}

/** The live feed a token opens, or null (unknown, malformed or revoked: all answered 404 alike). */
export async function feedByToken(db: Db, token: string): Promise<CalendarFeed | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [feed] = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tokenHash, sha256(token)), isNull(calendarFeeds.revokedAt)))
    .limit(1);
  if (!feed) return null;
  await db.update(calendarFeeds).set({ lastUsedAt: new Date() }).where(eq(calendarFeeds.id, feed.id));
  return feed;
}
