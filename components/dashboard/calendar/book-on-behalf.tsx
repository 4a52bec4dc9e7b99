"use client";

import Link from "next/link";
import { useEffect, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { bookOnBehalfAction, createCustomerAction, customerPassesAction, findCustomersAction } from "@/lib/dashboard/actions/calendar";
import type { CustomerOption } from "@/lib/customers/create-customer";
import type { PassDto } from "@/lib/passes/queries";
import type { OnBehalfPayment } from "@/lib/validations/dashboard";
import { ActionForm, type FormAction } from "../action-form";
import { inputClass, secondaryButtonClass } from "../ui";
import { AnswerFields } from "./answer-fields";
import type { ServiceInfo } from "./types";

/** Staff books an open slot for a customer found by phone or name, or created on the spot. */
export function BookOnBehalf({
  slotId,
  service,
  remaining,
  onBooked,
}: {
  slotId: string;
  service: ServiceInfo;
  remaining: number;
  onBooked: () => void;
}) {
  const t = useTranslations("dash.calendar");
  const [q, setQ] = useState("");
  const [options, setOptions] = useState<CustomerOption[]>([]);
  const [customer, setCustomer] = useState<CustomerOption | null>(null);
  const [creating, setCreating] = useState(false);
  const [booked, setBooked] = useState<{ id: string; message: string } | null>(null);
  const [payment, setPayment] = useState<OnBehalfPayment>("hold");
  const [passes, setPasses] = useState<PassDto[]>([]);
  const [, startTransition] = useTransition();

  // 会员卡: the chosen customer's cards that cover this service.
  useEffect(() => {
    if (!customer || payment !== "pass") return;
    startTransition(async () => {
      const result = await customerPassesAction(customer.id, service.id);
      setPasses(result.ok ? (result.data ?? []) : []);
    });
  }, [customer, payment, service.id]);

  useEffect(() => {
    if (q.trim().length < 2) return;
    const timer = setTimeout(
      () =>
        startTransition(async () => {
          const result = await findCustomersAction(q);
          setOptions(result.ok ? (result.data ?? []) : []);
        }),
      250,
    );
    return () => clearTimeout(timer);
  }, [q]);

  // Wrapped rather than watched from an effect: the form is replaced by this panel in the render that brings the result.
  const book: FormAction<{ bookingId: string }> = async (prev, fd) => {
    const result = await bookOnBehalfAction(prev, fd);
    if (result.ok && result.data) {
      setBooked({ id: result.data.bookingId, message: result.message ?? "" });
      onBooked();
    }
    return result;
  };

  if (booked) {
    return (
      <div className="space-y-2" data-testid="book-on-behalf">
        <p role="status" className="text-sm text-emerald-700" data-testid="book-result">
          {booked.message}
        </p>
        <Link prefetch={false} className="text-brand-600 underline" href={`/dashboard/bookings/${booked.id}`}>
          {t("openBooking")}
        </Link>
      </div>
    );
  }
  return (
    <div className="space-y-3" data-testid="book-on-behalf">
      {customer ? (
        <p className="flex items-center justify-between rounded-lg bg-stone-50 px-3 py-2 text-sm">
          <span data-testid="chosen-customer">
            {customer.name} · {customer.phone ?? customer.email}
          </span>
          <button type="button" className="text-brand-600 underline" onClick={() => setCustomer(null)}>
            {t("change")}
          </button>
        </p>
      ) : creating ? (
        <ActionForm
          action={createCustomerAction}
          submitLabel={t("createCustomer")}
          onResult={(s) => s.ok && s.data && (setCustomer(s.data), setCreating(false))}
        >
          <input name="name" placeholder={t("name")} aria-label={t("name")} className={inputClass} required />
          <input name="phone" type="tel" placeholder={t("phone")} aria-label={t("phone")} className={inputClass} />
          <input name="email" type="email" placeholder={t("email")} aria-label={t("email")} className={inputClass} />
        </ActionForm>
      ) : (
        <div className="space-y-2">
          <input
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t("findCustomer")}
            aria-label={t("findCustomer")}
            className={inputClass}
            data-testid="customer-search"
          />
          <ul className="divide-y divide-stone-100 text-sm">
            {(q.trim().length >= 2 ? options : []).map((o) => (
              <li key={o.id}>
                <button type="button" className="w-full py-1.5 text-left hover:text-brand-600" onClick={() => setCustomer(o)}>
                  {o.name} <span className="text-stone-500">{o.phone ?? o.email}</span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className={secondaryButtonClass} onClick={() => setCreating(true)}>
            {t("newCustomer")}
          </button>
        </div>
      )}
      {customer && (
        <ActionForm action={book} submitLabel={t("book")} resultTestId="book-result">
          <input type="hidden" name="timeslotId" value={slotId} />
          <input type="hidden" name="customerId" value={customer.id} />
          {service.capacity > 1 && (
            <label className="block text-sm">
              {t("seats")}
              <input name="seats" type="number" min={1} max={remaining} defaultValue={1} className={inputClass} />
            </label>
          )}
          <AnswerFields fields={service.fields} />
          <fieldset className="space-y-1 text-sm" data-testid="on-behalf-payment">
            <legend className="font-medium">{t("payHow")}</legend>
            {(["hold", "desk", "cash", "pass"] as const).map((p) => (
              <label key={p} className="mr-3 inline-flex items-center gap-1">
                <input type="radio" name="payment" value={p} checked={payment === p} onChange={() => setPayment(p)} />
                {t(`pay_${p}`)}
              </label>
            ))}
            {payment === "pass" &&
              (passes.length === 0 ? (
                <p className="text-xs text-stone-500">{t("noPasses")}</p>
              ) : (
                <select name="passId" className={inputClass} aria-label={t("choosePass")} required>
                  {passes.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                      {p.remainingUses !== undefined ? ` · ${t("passUses", { count: p.remainingUses })}` : ""}
                    </option>
                  ))}
                </select>
              ))}
            <p className="text-xs text-stone-500">{t(`payHint_${payment}`)}</p>
          </fieldset>
        </ActionForm>
      )}
    </div>
  );
}
