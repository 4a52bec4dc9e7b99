import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { setSlotStatus } from "@/lib/booking/slot-commands";
import { slotStatusSchema } from "@/lib/validations/dashboard";

/** Close or reopen slots: { slotIds, status: "closed" | "open" } → { changed }. */
export const POST = apiRoute({ auth: "staff", body: slotStatusSchema }, async ({ body, user }) => {
  const changed = await setSlotStatus(body, user.id);
  return NextResponse.json({ changed });
});
