"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { createCalendarFeed, revokeCalendarFeed } from "@/lib/booking/calendar-feeds";

const scopeSchema = z.enum(["customer", "staff"]);
const pageOf = { customer: "/me", staff: "/dashboard" } as const;

export type FeedState = ActionResult<{ url?: string }>;

/** A new subscription address (the previous one stops working); shown once, to copy. */
export async function createFeedAction(scope: string): Promise<FeedState> {
  return runAction<FeedState, "user">({ auth: "user" }, async (user) => {
    const s = parseInput(scopeSchema, scope);
    const { url } = await createCalendarFeed(getDb(), { id: user.id, role: user.role }, s);
    revalidatePath(pageOf[s]);
    return { ok: true, data: { url } };
  });
}

/** Revokes the feed: its address answers 404 from now on. */
export async function revokeFeedAction(scope: string, feedId: string): Promise<FeedState> {
  return runAction<FeedState, "user">({ auth: "user" }, async (user) => {
    const s = parseInput(scopeSchema, scope);
    await revokeCalendarFeed(getDb(), { id: user.id, role: user.role }, s, parseInput(z.uuid(), feedId));
    revalidatePath(pageOf[s]);
    return { ok: true, data: {} };
  });
}
