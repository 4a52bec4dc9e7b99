"use server";

import { requestLocale } from "@/lib/i18n/server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { loadSlotContext } from "@/lib/booking/context";
import { answersFromFormData, parseFieldDefinitions } from "@/lib/booking/fields";
import { searchCustomers } from "@/lib/customers/queries";
import { actorOf } from "@/lib/dashboard/auth";
import { bookOnBehalf } from "@/lib/booking/staff-commands";
import { createCustomerByStaff, type CustomerOption } from "@/lib/customers/create-customer";
import { parseInput, runStaffAction, type DashResult } from "@/lib/dashboard/run-action";
import { customerSearchSchema } from "@/lib/validations/customer";
import { usablePasses, type PassDto } from "@/lib/passes/queries";
import { bookOnBehalfSchema, customerPassesSchema, newCustomerSchema } from "@/lib/validations/dashboard";

/** Customers by phone, name or email for the booking-on-behalf picker (staff only, like every action here). */
export async function findCustomersAction(q: string): Promise<DashResult<CustomerOption[]>> {
  return runStaffAction(async () => {
    const input = parseInput(customerSearchSchema, { q, limit: 8 });
    if (!input.q || input.q.length < 2) return { ok: true, data: [] };
    const { rows } = await searchCustomers(getDb(), input);
    return { ok: true, data: rows.map((r) => ({ id: r.id, name: r.name, phone: r.phone, email: r.email, groups: r.groups })) };
  });
}

/** The customer's cards that could pay for this service now (会员卡 in booking on behalf). */
export async function customerPassesAction(customerId: string, serviceId: string): Promise<DashResult<PassDto[]>> {
  return runStaffAction(async () => {
    const input = parseInput(customerPassesSchema, { customerId, serviceId });
    return { ok: true, data: await usablePasses(getDb(), input.customerId, input.serviceId) };
  });
}

export async function createCustomerAction(_prev: DashResult<CustomerOption> | null, fd: FormData): Promise<DashResult<CustomerOption>> {
  return runStaffAction(async (user) => {
    const input = parseInput(newCustomerSchema, Object.fromEntries(fd));
    const customer = await createCustomerByStaff(input, user.id);
    return { ok: true, message: (await getTranslations("dash.calendar"))("customerCreated", { name: customer.name }), data: customer };
  });
}

export async function bookOnBehalfAction(
  _prev: DashResult<{ bookingId: string }> | null,
  fd: FormData,
): Promise<DashResult<{ bookingId: string }>> {
  return runStaffAction(async (user) => {
    const input = parseInput(bookOnBehalfSchema, Object.fromEntries(fd));
    const ctx = await loadSlotContext(getDb(), input.timeslotId);
    const fields = answersFromFormData(fd, parseFieldDefinitions(ctx.service.fields), "f_");
    const booking = await bookOnBehalf({ ...input, fields, actor: actorOf(user), locale: await requestLocale() });
    revalidatePath("/dashboard", "layout");
    const t = await getTranslations("dash.calendar");
    return { ok: true, message: t("booked", { code: booking.code }), data: { bookingId: booking.id } };
  });
}
