import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import type { Booking } from "@/db/schema";
import { apiRoute } from "@/lib/api/handler";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

const reasonBody = z.object({ reason: z.string().trim().max(500).optional() });

/** POST /api/v1/staff/bookings/{id}/<transition>: staff Bearer token, optional { reason }, answers { booking }. */
export function transitionRoute(
  run: (input: { bookingId: string; actor: Actor; reason?: string }) => Promise<Booking | { booking: unknown }>,
) {
  return apiRoute({ auth: "staff", body: reasonBody }, async ({ params, body, user }) => {
    if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
    const result = await run({ bookingId: params.id!, actor: { id: user.id, role: user.role }, reason: body.reason });
    return NextResponse.json("booking" in result ? result : { booking: result });
  });
}
