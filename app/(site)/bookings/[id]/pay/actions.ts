"use server";

import { headers } from "next/headers";
import QRCode from "qrcode";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth";
import { parseInput, runAction } from "@/lib/actions";
import { loadOwnBooking } from "@/lib/booking/cancel-booking";
import { AppError } from "@/lib/errors";
import { reconcileBookingPayments } from "@/lib/booking/payments";
import { startPayment } from "@/lib/booking/pay-booking";
import { payBookingSchema } from "@/lib/validations/payment";
import type { PayState } from "@/components/payments/pay-panel";
import { clientIp } from "@/lib/rate-limit";

async function sessionActor() {
  const session = await auth();
  if (!session?.user?.id) throw new AppError("UNAUTHENTICATED", "signIn");
  return { id: session.user.id, role: session.user.role };
}

/** Starts one payment attempt; desktop gets a QR code to scan, phones a link that opens the wallet. */
export async function startPayAction(bookingId: string, input: { provider: string; mobile: boolean }): Promise<PayState> {
  return runAction({ auth: "user" }, async (user) => {
    const provider = parseInput(payBookingSchema.shape.provider, input.provider);
    const ip = clientIp(await headers(), "127.0.0.1");
    const result = await startPayment({
      bookingId: parseInput(z.uuid(), bookingId),
      actor: { id: user.id, role: user.role },
      provider,
      channel: input.mobile ? "mobile_web" : "qr",
      clientIp: ip,
    });
    const scan = result.codeUrl;
    return {
      ok: true,
      data: {
        outTradeNo: result.payment.outTradeNo,
        amountFen: result.payment.amountFen,
        qrDataUrl: scan ? await QRCode.toDataURL(scan, { margin: 1, width: 240 }) : undefined,
        openUrl: result.payUrl ?? result.h5Url ?? scan,
      },
    };
  });
}

/** The page's poll: asks the gateway about pending payments (a lost notify still confirms) and returns the status. */
export async function pollPaymentAction(bookingId: string): Promise<{ status: string }> {
  const actor = await sessionActor();
  const db = getDb();
  const id = z.uuid().parse(bookingId);
  await loadOwnBooking(db, id, actor);
  await reconcileBookingPayments(db, id);
  return { status: (await loadOwnBooking(db, id, actor)).status };
}
