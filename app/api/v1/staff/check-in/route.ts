import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { bookingBalance } from "@/lib/booking/money-facts";
import { checkInBooking } from "@/lib/booking/staff-transitions";
import { checkInGuessLimits, clientIp, limitFailures } from "@/lib/rate-limit";
import { checkInSchema } from "@/lib/validations/dashboard";

/** 核销 by the code the customer shows: { code } → { booking, balance } (the balance to collect) | 404 | 409 INVALID_STATE. */
export const POST = apiRoute({ auth: "staff", body: checkInSchema }, async ({ body, user, req }) => {
  const booking = await limitFailures(checkInGuessLimits(user.id, clientIp(req.headers)), ["NOT_FOUND"], () =>
    checkInBooking({ code: body.code, actor: { id: user.id, role: user.role } }),
  );
  return NextResponse.json({ booking, balance: await bookingBalance(getDb(), booking) });
});
