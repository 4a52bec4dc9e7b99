"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { loadOwnBooking } from "@/lib/booking/cancel-booking";
import { bookingBalance } from "@/lib/booking/money-facts";
import { reconcileBookingPayments } from "@/lib/booking/payments";
import { startPayment } from "@/lib/booking/pay-booking";
import { consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payAttemptChannel, payState } from "@/lib/site/pay-attempt";
import { payBookingSchema } from "@/lib/validations/payment";
import type { PayState } from "@/components/payments/pay-panel";

/** Starts one payment attempt, in WeChat's own browser by JSAPI, on other phones by a wallet link, on desktop by a QR code. */
export async function startPayAction(bookingId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  return runAction({ auth: "user" }, async (user) => {
    const provider = parseInput(payBookingSchema.shape.provider, input?.provider);
    const id = parseInput(z.uuid(), bookingId);
    const attempt = await payAttemptChannel(user.id, provider, input?.mobile);
    await consumeLimits(paymentAttemptLimits(id));
    return payState(await startPayment({ bookingId: id, actor: { id: user.id, role: user.role }, provider, ...attempt }));
  });
}

/** The page's poll: asks the gateway about pending payments (a lost notify still confirms) and returns the status. */
export async function pollPaymentAction(bookingId: string): Promise<ActionResult & { status?: string }> {
  return runAction<ActionResult & { status?: string }, "user">({ auth: "user" }, async (user) => {
    const actor = { id: user.id, role: user.role };
    const db = getDb();
    const id = parseInput(z.uuid(), bookingId);
    await loadOwnBooking(db, id, actor);
    await reconcileBookingPayments(db, id);
    return { ok: true, status: (await loadOwnBooking(db, id, actor)).status };
  });
}

/**
 * The poll of a balance payment (the booking is already confirmed): "confirmed" once nothing is due,
 * "balance_due" while the rest is still owed, so the pay panel waits for this payment, not the first.
 */
export async function pollBalanceAction(bookingId: string): Promise<ActionResult & { status?: string }> {
  return runAction<ActionResult & { status?: string }, "user">({ auth: "user" }, async (user) => {
    const actor = { id: user.id, role: user.role };
    const db = getDb();
    const id = parseInput(z.uuid(), bookingId);
    await loadOwnBooking(db, id, actor);
    await reconcileBookingPayments(db, id);
    const booking = await loadOwnBooking(db, id, actor);
    const { balanceFen } = await bookingBalance(db, booking);
    return { ok: true, status: booking.status === "confirmed" && balanceFen > 0 ? "balance_due" : booking.status };
  });
}
