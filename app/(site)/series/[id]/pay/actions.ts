"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { reconcileSeriesPayments } from "@/lib/booking/payments";
import { startSeriesPayment } from "@/lib/booking/pay-series";
import { getSeriesView } from "@/lib/booking/series-queries";
import { consumeLimits, paymentAttemptLimits } from "@/lib/rate-limit";
import { payAttemptChannel, payState } from "@/lib/site/pay-attempt";
import { payBookingSchema } from "@/lib/validations/payment";
import type { PayState } from "@/lib/site/types";

/** One payment attempt for the whole series, on the same channels as a single booking's. */
export async function startSeriesPayAction(seriesId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  return runAction({ auth: "user" }, async (user) => {
    const provider = parseInput(payBookingSchema.shape.provider, input?.provider);
    const id = parseInput(z.uuid(), seriesId);
    const attempt = await payAttemptChannel(user.id, provider, input?.mobile);
    await consumeLimits(paymentAttemptLimits(id));
    return payState(await startSeriesPayment({ seriesId: id, actor: { id: user.id, role: user.role }, provider, ...attempt }));
  });
}

/** The page's poll: asks the gateway about the series' pending payments, then the series' status. */
export async function pollSeriesPaymentAction(seriesId: string): Promise<ActionResult & { status?: string }> {
  return runAction<ActionResult & { status?: string }, "user">({ auth: "user" }, async (user) => {
    const actor = { id: user.id, role: user.role };
    const db = getDb();
    const id = parseInput(z.uuid(), seriesId);
    await getSeriesView(db, id, actor);
    await reconcileSeriesPayments(db, id);
    return { ok: true, status: (await getSeriesView(db, id, actor)).status };
  });
}
