"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { markInvoiceIssued } from "@/lib/booking/invoice-requests";
import { actorOf } from "@/lib/dashboard/auth";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { markInvoiceIssuedSchema } from "@/lib/validations/invoice";

/** Staff record that the fapiao was issued (outside Yuyue), with its number. */
export async function markInvoiceIssuedAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { invoiceId, invoiceNo } = parseInput(markInvoiceIssuedSchema, Object.fromEntries(fd));
    await markInvoiceIssued(getDb(), invoiceId, actorOf(user).id, invoiceNo);
    revalidatePath("/dashboard/payments/invoices");
    return { ok: true, message: (await getTranslations("dash.invoices"))("issuedOk", { number: invoiceNo }) };
  });
}
