import "server-only";
import { getDb, type Db } from "@/db/client";
import type { Refund } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { requestRefund } from "./refunds";

/** A staff refund with a reason (goodwill, service not delivered…), up to what is left to refund. */
export async function refundBooking(
  input: { bookingId: string; amountFen: number; reason: string; actorId: string },
  db: Db = getDb(),
): Promise<Refund[]> {
  if (!Number.isInteger(input.amountFen) || input.amountFen <= 0)
    throw new AppError("VALIDATION_FAILED", "退款金额须为正整数（分）/ The refund must be a positive number of fen");
  if (input.reason.trim() === "") throw new AppError("VALIDATION_FAILED", "refundReasonRequired");
  return db.transaction(async (tx) => {
    const rows = await requestRefund(tx, input);
    const total = rows.reduce((s, r) => s + r.amountFen, 0);
    if (total < input.amountFen) throw new AppError("VALIDATION_FAILED", "refundAtMost", undefined, { fen: total });
    await audit(tx, {
      actorId: input.actorId,
      action: "booking.refund_manual",
      entityType: "booking",
      entityId: input.bookingId,
      reason: input.reason,
      data: { amountFen: total },
    });
    return rows;
  });
}
