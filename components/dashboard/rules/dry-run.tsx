"use client";

import { useEffect, useState, useTransition } from "react";
import { useLocale, useTranslations } from "next-intl";
import { findCustomersAction } from "@/lib/dashboard/actions/calendar";
import type { CustomerOption } from "@/lib/customers/create-customer";
import type { DashResult } from "@/lib/dashboard/run-action";
import type { DryRunResult } from "@/lib/booking/dry-run";
import { ActionForm, type FormAction } from "../action-form";
import { formatDateTime } from "@/components/format";
import { inputClass } from "../ui";
import type { RuleDraft } from "./custom-rules-editor";

/** "Would customer X be allowed to book slot Y now, and why not?" — evaluated by the server, nothing is booked. */
export function DryRun({
  services,
  draftRules,
  draftPolicy,
  timezone,
  dryRunAction,
  slotsForServiceAction,
}: {
  services: { id: string; name: string }[];
  draftRules: RuleDraft[];
  /** The policy as edited and not saved yet (JSON), or null when unchanged. */
  draftPolicy: string | null;
  timezone: string;
  /** Evaluates the draft rules for one customer and slot (a server action passed in by the page). */
  dryRunAction: FormAction<DryRunResult>;
  /** The service's upcoming slots to pick from (a server action passed in by the page). */
  slotsForServiceAction: (serviceId: string) => Promise<DashResult<{ id: string; startsAt: string; remaining: number }[]>>;
}) {
  const t = useTranslations("dash.rules");
  const locale = useLocale();
  const [q, setQ] = useState("");
  const [customers, setCustomers] = useState<CustomerOption[]>([]);
  const [customerId, setCustomerId] = useState("");
  const [serviceId, setServiceId] = useState("");
  const [slots, setSlots] = useState<{ id: string; startsAt: string; remaining: number }[]>([]);
  const [, start] = useTransition();

  useEffect(() => {
    if (q.trim().length < 2) return;
    const timer = setTimeout(
      () =>
        start(async () => {
          const r = await findCustomersAction(q);
          setCustomers(r.data ?? []);
          if (r.data?.[0]) setCustomerId(r.data[0].id);
        }),
      250,
    );
    return () => clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    if (!serviceId) return;
    start(async () => setSlots((await slotsForServiceAction(serviceId)).data ?? []));
  }, [serviceId, slotsForServiceAction]);

  return (
    <ActionForm action={dryRunAction} submitLabel={t("runDryRun")} resultTestId="dry-run-result">
      {(state) => (
        <>
          <input type="hidden" name="draftRules" value={JSON.stringify(draftRules)} />
          <input type="hidden" name="draftPolicy" value={draftPolicy ?? ""} />
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
            <input
              className={inputClass}
              placeholder={t("findCustomer")}
              aria-label={t("findCustomer")}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              data-testid="dry-run-customer-search"
            />
            <select
              name="customerId"
              className={inputClass}
              value={customerId}
              onChange={(e) => setCustomerId(e.target.value)}
              aria-label={t("customer")}
              data-testid="dry-run-customer"
            >
              <option value="">{t("customer")}</option>
              {customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} · {c.phone ?? c.email} {c.groups.length ? `(${c.groups.join(", ")})` : ""}
                </option>
              ))}
            </select>
            <select
              className={inputClass}
              value={serviceId}
              onChange={(e) => setServiceId(e.target.value)}
              aria-label={t("service")}
              data-testid="dry-run-service"
            >
              <option value="">{t("service")}</option>
              {services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <select name="timeslotId" className={inputClass} aria-label={t("slot")} data-testid="dry-run-slot" defaultValue="">
              <option value="">{t("slot")}</option>
              {slots.map((s) => (
                <option key={s.id} value={s.id}>
                  {formatDateTime(s.startsAt, locale, timezone, "full")} · {s.remaining}
                </option>
              ))}
            </select>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="useDraft" defaultChecked />
            {t("useDraft")}
          </label>
          {state?.ok && state.data && (
            <div
              className={`rounded-lg px-3 py-2 text-sm ${state.data.allowed ? "bg-emerald-50 text-emerald-800" : "bg-rose-50 text-rose-800"}`}
              data-testid="dry-run-verdict"
              data-allowed={String(state.data.allowed)}
            >
              <p className="font-semibold">
                {state.data.allowed ? t("allowed") : t("notAllowed", { count: state.data.violations.length })}
              </p>
              <ul className="list-disc pl-5">
                {state.data.violations.map((v) => (
                  <li key={v.rule} data-rule={v.rule}>
                    {v.text}
                  </li>
                ))}
              </ul>
              <details className="mt-1">
                <summary className="cursor-pointer text-xs">{t("facts")}</summary>
                <pre className="overflow-x-auto text-xs">{JSON.stringify(state.data.facts, null, 2)}</pre>
              </details>
            </div>
          )}
        </>
      )}
    </ActionForm>
  );
}
