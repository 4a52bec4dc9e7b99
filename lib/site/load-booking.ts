import "server-only";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { loadSlotContext } from "@/lib/booking/context";
import { getBookingView } from "@/lib/booking/queries";
import { isAppError } from "@/lib/errors";

/** The booking as its customer (or staff) may see it, with its business and service; 404 otherwise. */
export async function loadBooking(id: string, user: SessionUser) {
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  try {
    const view = await getBookingView(db, id, { id: user.id, role: user.role });
    const ctx = await loadSlotContext(db, view.timeslotId);
    return { view, service: ctx.service, business: ctx.business };
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}
