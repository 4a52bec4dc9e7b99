"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { updateCustomer } from "@/lib/customers/update-customer";
import { customerUpdateSchema } from "@/lib/validations/dashboard";

export async function updateCustomerAction(_prev: DashResult | null, fd: FormData): Promise<DashResult> {
  return runStaffAction(async (user) => {
    const input = parseInput(customerUpdateSchema, Object.fromEntries(fd));
    await updateCustomer(input, user.id);
    revalidatePath(`/dashboard/customers/${input.customerId}`);
    revalidatePath("/dashboard/customers");
    return { ok: true, message: (await getTranslations("dash.customers"))("saved") };
  });
}
