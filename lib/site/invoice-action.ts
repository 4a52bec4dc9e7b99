"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { requestInvoice } from "@/lib/booking/invoice-requests";
import { invoiceRequestSchema } from "@/lib/validations/invoice";
import { z } from "zod";

/** The customer asks for (or corrects) a fapiao on their booking. */
export async function requestInvoiceAction(_prev: ActionResult | null, fd: FormData): Promise<ActionResult> {
  return runAction({ auth: "user" }, async (user, locale) => {
    const bookingId = parseInput(z.object({ bookingId: z.uuid() }), { bookingId: fd.get("bookingId") }).bookingId;
    const input = parseInput(invoiceRequestSchema, {
      kind: fd.get("kind"),
      title: fd.get("title"),
      taxNo: fd.get("taxNo"),
      email: fd.get("email"),
    });
    await requestInvoice(getDb(), bookingId, { id: user.id, role: user.role }, input);
    revalidatePath(`/bookings/${bookingId}`);
    return { ok: true, message: (await getTranslations({ locale, namespace: "invoice" }))("requested") };
  });
}
