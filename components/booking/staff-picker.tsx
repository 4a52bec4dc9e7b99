"use client";

import { useTranslations } from "next-intl";
import type { StaffDto } from "@/lib/services/queries";

/** A photo, or the first letter of the name on a tinted disc. */
export function StaffAvatar({ staff, size = 40 }: { staff: Pick<StaffDto, "name" | "photoUrl">; size?: number }) {
  const style = { width: size, height: size };
  if (staff.photoUrl) {
    // A staff photo is any https URL the business gives: next/image would need every host configured.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={staff.photoUrl} alt="" style={style} className="shrink-0 rounded-full object-cover" />;
  }
  return (
    <span
      aria-hidden
      style={style}
      className="flex shrink-0 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-700"
    >
      {Array.from(staff.name)[0] ?? "?"}
    </span>
  );
}

/**
 * 选技师: the staff who offer the service, or "any available" (the default; assigned by the
 * service's policy when booking). The slot list below shows the chosen one's free times.
 */
export function StaffPicker({
  staff,
  value,
  onChange,
  freeCount,
}: {
  staff: StaffDto[];
  value: string | null;
  onChange: (id: string | null) => void;
  /** How many free times each staff member has on the chosen day (shown under their name). */
  freeCount?: (id: string) => number | null;
}) {
  const t = useTranslations("booking");
  const chip = (active: boolean) =>
    `flex min-w-[7.5rem] shrink-0 snap-start items-center gap-2 rounded-xl border px-3 py-2 text-left ${
      active ? "border-brand-600 bg-brand-50 ring-1 ring-brand-600" : "border-stone-200 bg-white"
    }`;
  return (
    <section className="space-y-2" data-testid="staff-picker" aria-label={t("chooseStaff")}>
      <h3 className="font-semibold">{t("chooseStaff")}</h3>
      <div className="-mx-4 flex snap-x gap-2 overflow-x-auto px-4 pb-1 sm:mx-0 sm:flex-wrap sm:px-0" role="group">
        <button
          type="button"
          aria-pressed={value === null}
          data-staff-id="any"
          onClick={() => onChange(null)}
          className={chip(value === null)}
        >
          <StaffAvatar staff={{ name: "★", photoUrl: null }} />
          <span className="flex flex-col">
            <span className="font-medium">{t("anyStaff")}</span>
            <span className="text-xs text-stone-500">{t("anyStaffHint")}</span>
          </span>
        </button>
        {staff.map((s) => {
          const free = freeCount?.(s.id);
          return (
            <button
              key={s.id}
              type="button"
              aria-pressed={value === s.id}
              data-staff-id={s.id}
              onClick={() => onChange(s.id)}
              className={chip(value === s.id)}
            >
              <StaffAvatar staff={s} />
              <span className="flex flex-col">
                <span className="font-medium">{s.name}</span>
                {s.title && <span className="text-xs text-stone-500">{s.title}</span>}
                {free != null && <span className="text-xs text-brand-700">{t("staffFreeCount", { count: free })}</span>}
              </span>
            </button>
          );
        })}
      </div>
    </section>
  );
}
