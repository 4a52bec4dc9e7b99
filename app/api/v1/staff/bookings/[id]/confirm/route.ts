import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { confirmOffline } from "@/lib/booking/staff-commands";
import { AppError } from "@/lib/errors";
import { confirmOfflineBodySchema } from "@/lib/validations/dashboard";

/**
 * pending_payment → confirmed, paid at the desk: records a desk payment of the amount due (or
 * `amountFen`), method "other" (or `method`), `reason` required as its note → { booking, payment }.
 */
export const POST = apiRoute({ auth: "staff", body: confirmOfflineBodySchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "bookingNotFound");
  const result = await confirmOffline({
    bookingId: params.id!,
    actor: { id: user.id, role: user.role },
    reason: body.reason ?? "",
    method: body.method,
    amountFen: body.amountFen,
  });
  return NextResponse.json(result);
});
