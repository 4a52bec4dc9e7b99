"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { updateCustomer } from "@/lib/customers/update-customer";
import { customerUpdateSchema } from "@/lib/validations/dashboard";
import { formatFen } from "@/lib/money";
import { adjustPass, refundPass } from "@/lib/passes/adjust-pass";
import { sellPassAtDesk } from "@/lib/passes/sell-pass";
import { adjustFormFromData, adjustPassSchema, deskSaleSchema, passIdSchema, refundPassSchema } from "@/lib/validations/passes";

export async function updateCustomerAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(customerUpdateSchema, Object.fromEntries(fd));
    await updateCustomer(input, user.id);
    revalidatePath(`/dashboard/customers/${input.customerId}`);
    revalidatePath("/dashboard/customers");
    return { ok: true, message: (await getTranslations("dash.customers"))("saved") };
  });
}

/** A card sold at the desk on the customer's page. */
export async function sellPassAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(deskSaleSchema, Object.fromEntries(fd));
    const { pass, sale } = await sellPassAtDesk({ ...input, actorId: user.id });
    revalidatePath(`/dashboard/customers/${input.customerId}`);
    revalidatePath("/dashboard/passes");
    return { ok: true, message: (await getTranslations("dash.passes"))("sold", { name: pass.name, amount: formatFen(sale.amountFen) }) };
  });
}

export async function adjustPassAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { passId } = parseInput(passIdSchema, Object.fromEntries(fd));
    const pass = await adjustPass({ passId, ...parseInput(adjustPassSchema, adjustFormFromData(fd)), actorId: user.id });
    revalidatePath(`/dashboard/customers/${pass.customerId}`);
    return { ok: true, message: (await getTranslations("dash.passes"))("adjusted") };
  });
}

export async function refundPassAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const { passId } = parseInput(passIdSchema, Object.fromEntries(fd));
    const { pass, refundFen } = await refundPass({ passId, ...parseInput(refundPassSchema, Object.fromEntries(fd)), actorId: user.id });
    revalidatePath(`/dashboard/customers/${pass.customerId}`);
    revalidatePath("/dashboard/passes");
    return { ok: true, message: (await getTranslations("dash.passes"))("refunded", { amount: formatFen(refundFen) }) };
  });
}
