"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import {
  addTimeOffAction,
  removeTimeOffAction,
  saveServiceStaffAction,
  saveStaffHoursAction,
  saveStaffProfileAction,
} from "@/lib/dashboard/actions/staff";
import { ActionForm } from "../action-form";
import { Ranges, type Weekly } from "../services/schedule-editor";
import { compactInputClass, inputClass, secondaryButtonClass } from "../ui";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export type StaffDraft = {
  id: string;
  name: string;
  userId: string | null;
  active: boolean;
  title: string | null;
  photoUrl: string | null;
  weeklyHours: Weekly | null;
  breaks: Weekly;
  dateOverrides: Record<string, { start: string; end: string }[]>;
};

/** Name, title and photo customers see when picking a staff member. */
export function StaffProfileForm({ staff }: { staff: StaffDraft }) {
  const t = useTranslations("dash.staff");
  const tr = useTranslations("dash.resources");
  return (
    <ActionForm action={saveStaffProfileAction} submitLabel={tr("save")} testId="staff-profile" className="grid gap-2 sm:grid-cols-2">
      <input type="hidden" name="id" value={staff.id} />
      <input type="hidden" name="kind" value="staff" />
      <input type="hidden" name="userId" value={staff.userId ?? ""} />
      {staff.active && <input type="hidden" name="active" value="on" />}
      <label className="text-sm">
        {tr("name")}
        <input name="name" defaultValue={staff.name} required className={inputClass} />
      </label>
      <label className="text-sm">
        {t("titleField")}
        <input name="title" defaultValue={staff.title ?? ""} maxLength={60} className={inputClass} />
      </label>
      <label className="text-sm sm:col-span-2">
        {t("photoUrl")}
        <input name="photoUrl" type="url" defaultValue={staff.photoUrl ?? ""} className={inputClass} placeholder="https://" />
      </label>
    </ActionForm>
  );
}

/** Own weekly hours (or none: the services' hours), breaks; days off are date overrides with no ranges. */
export function StaffHoursForm({ staff }: { staff: StaffDraft }) {
  const t = useTranslations("dash.staff");
  const ts = useTranslations("dash.schedule");
  const [own, setOwn] = useState(staff.weeklyHours !== null);
  const [weekly, setWeekly] = useState<Weekly>(staff.weeklyHours ?? {});
  const [breaks, setBreaks] = useState<Weekly>(staff.breaks);
  const set = (which: "weekly" | "breaks", day: (typeof DAYS)[number], ranges: { start: string; end: string }[]) => {
    const [value, update] = which === "weekly" ? [weekly, setWeekly] : [breaks, setBreaks];
    const next = { ...value };
    if (ranges.length) next[day] = ranges;
    else delete next[day];
    update(next);
  };
  return (
    <ActionForm action={saveStaffHoursAction} submitLabel={ts("save")} testId="staff-hours" className="space-y-3">
      <input type="hidden" name="id" value={staff.id} />
      <input type="hidden" name="weeklyHours" value={JSON.stringify(weekly)} />
      <input type="hidden" name="breaks" value={JSON.stringify(breaks)} />
      <input type="hidden" name="dateOverrides" value={JSON.stringify(staff.dateOverrides)} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="ownHours" checked={own} onChange={(e) => setOwn(e.target.checked)} />
        {t("ownHours")}
      </label>
      <ul className="space-y-2 text-sm">
        {DAYS.map((d) => (
          <li key={d} className="space-y-1 border-t border-stone-100 pt-2" data-testid={`staff-hours-${d}`}>
            <p className="font-medium">{ts(`days.${d}`)}</p>
            {own && <Ranges label={ts(`days.${d}`)} ranges={weekly[d] ?? []} onChange={(r) => set("weekly", d, r)} />}
            <div className="flex items-center gap-2 text-stone-600">
              <span className="text-xs">{ts("breaks")}</span>
              <Ranges label={`${ts(`days.${d}`)} ${ts("breaks")}`} ranges={breaks[d] ?? []} onChange={(r) => set("breaks", d, r)} />
            </div>
          </li>
        ))}
      </ul>
    </ActionForm>
  );
}

export type TimeOffRow = { id: string; startsAt: string; endsAt: string; kind: "leave" | "sick" | "other"; note: string; label: string };

/** Leave and sick days: add one (local date-times), remove one. */
export function TimeOffEditor({ staffId, rows }: { staffId: string; rows: TimeOffRow[] }) {
  const t = useTranslations("dash.staff");
  return (
    <div className="space-y-3" data-testid="time-off">
      {rows.length === 0 ? (
        <p className="text-sm text-stone-500">{t("noTimeOff")}</p>
      ) : (
        <ul className="divide-y divide-stone-100 text-sm">
          {rows.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-2 py-2" data-testid="time-off-row">
              <span>
                <span className="font-medium">{t(`kinds.${r.kind}`)}</span> · {r.label}
                {r.note && <span className="text-stone-500"> · {r.note}</span>}
              </span>
              <ActionForm action={removeTimeOffAction} submitLabel={t("remove")} submitClass={secondaryButtonClass} className="">
                <input type="hidden" name="id" value={staffId} />
                <input type="hidden" name="timeOffId" value={r.id} />
              </ActionForm>
            </li>
          ))}
        </ul>
      )}
      <ActionForm
        action={addTimeOffAction}
        submitLabel={t("add")}
        resetOnSuccess
        testId="time-off-new"
        className="grid gap-2 sm:grid-cols-2"
      >
        <input type="hidden" name="id" value={staffId} />
        <label className="text-sm">
          {t("from")}
          <input type="datetime-local" name="startsAtLocal" required className={inputClass} onChange={syncInstant("startsAt")} />
          <input type="hidden" name="startsAt" />
        </label>
        <label className="text-sm">
          {t("to")}
          <input type="datetime-local" name="endsAtLocal" required className={inputClass} onChange={syncInstant("endsAt")} />
          <input type="hidden" name="endsAt" />
        </label>
        <label className="text-sm">
          {t("kind")}
          <select name="kind" className={compactInputClass} defaultValue="leave">
            {(["leave", "sick", "other"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          {t("note")}
          <input name="note" maxLength={200} className={inputClass} />
        </label>
      </ActionForm>
    </div>
  );
}

/** A datetime-local value is wall time in the browser's zone (the business's, for its staff): sent as an instant. */
const syncInstant = (name: string) => (e: React.ChangeEvent<HTMLInputElement>) => {
  const hidden = e.target.form?.elements.namedItem(name);
  if (hidden instanceof HTMLInputElement) hidden.value = e.target.value ? new Date(e.target.value).toISOString() : "";
};

/** Which staff offer a service, with weights, and how "any available" picks. */
export function ServiceStaffForm({
  serviceId,
  policy,
  staff,
}: {
  serviceId: string;
  policy: "least_booked" | "round_robin";
  staff: { id: string; name: string; title: string | null; offers: boolean; weight: number }[];
}) {
  const t = useTranslations("dash.staff");
  return (
    <ActionForm action={saveServiceStaffAction} submitLabel={t("saveStaff")} testId="service-staff" className="space-y-3">
      <input type="hidden" name="serviceId" value={serviceId} />
      <ul className="divide-y divide-stone-100 text-sm">
        {staff.map((s) => (
          <li key={s.id} className="flex items-center justify-between gap-2 py-2">
            <label className="flex items-center gap-2">
              <input type="checkbox" name="staff" value={s.id} defaultChecked={s.offers} />
              <span className="font-medium">{s.name}</span>
              {s.title && <span className="text-stone-500">{s.title}</span>}
            </label>
            <label className="flex items-center gap-1 text-xs text-stone-500">
              {t("weight")}
              <input
                name={`weight:${s.id}`}
                type="number"
                min={1}
                max={100}
                defaultValue={s.weight}
                className={`${compactInputClass} w-16`}
              />
            </label>
          </li>
        ))}
      </ul>
      <label className="block text-sm">
        {t("policy")}
        <select name="policy" defaultValue={policy} className={compactInputClass}>
          {(["least_booked", "round_robin"] as const).map((p) => (
            <option key={p} value={p}>
              {t(`policies.${p}`)}
            </option>
          ))}
        </select>
      </label>
    </ActionForm>
  );
}
