import { z } from "zod";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth";
import { bookingIcsFile } from "@/lib/booking/booking-ics";
import { isAppError } from "@/lib/errors";

/** GET /bookings/:id/calendar: the booking's .ics download ("add to calendar") for its customer or staff. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await auth();
  if (!session?.user?.id) return Response.json({ error: { code: "UNAUTHENTICATED", message: "Please sign in" } }, { status: 401 });
  if (!z.uuid().safeParse(id).success)
    return Response.json({ error: { code: "NOT_FOUND", message: "Booking not found" } }, { status: 404 });
  try {
    const ics = await bookingIcsFile(getDb(), id, { id: session.user.id, role: session.user.role });
    return new Response(ics, {
      headers: {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": `attachment; filename="booking-${id.slice(0, 8)}.ics"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND")
      return Response.json({ error: { code: e.code, message: "Booking not found" } }, { status: 404 });
    throw e;
  }
}
