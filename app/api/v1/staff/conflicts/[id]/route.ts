import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { resolveSlotConflict } from "@/lib/booking/slot-conflicts";
import { conflictActionSchema } from "@/lib/validations/schedule";

const body = conflictActionSchema.omit({ slotId: true });

/** Settle a conflict on slot {id}: { action: "cancel" | "keep", reason? } → { cancelled: [bookingId] }. */
export const POST = apiRoute({ auth: "staff", body }, async ({ params, body, user }) => {
  const parsed = conflictActionSchema.safeParse({ ...body, slotId: params.id });
  if (!parsed.success) throw new AppError("NOT_FOUND", "conflictNotFound");
  return NextResponse.json(await resolveSlotConflict({ ...parsed.data, actor: { id: user.id, role: user.role } }));
});
