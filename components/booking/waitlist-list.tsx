import Link from "next/link";
import { useTranslations } from "next-intl";
import type { WaitlistEntryDto } from "@/lib/booking/waitlist";
import type { Locale } from "@/lib/i18n/config";
import { formatSlotRange, formatTime } from "./format";

/** "My waitlist" (我的候补): each entry's slot, status and place, linking to its page (accept, pay or leave). */
export function WaitlistList({ entries, timezone, locale }: { entries: WaitlistEntryDto[]; timezone: string; locale: Locale }) {
  const t = useTranslations("waitlist");
  if (entries.length === 0) return null;
  return (
    <section className="space-y-3" data-testid="my-waitlist">
      <h2 className="text-lg font-semibold">{t("mine")}</h2>
      <ul className="space-y-2">
        {entries.map((e) => (
          <li
            key={e.id}
            className="flex flex-wrap items-center justify-between gap-2 rounded-xl border border-stone-200 bg-white p-4"
            data-testid="waitlist-item"
            data-status={e.status}
          >
            <div className="min-w-0">
              <p className="font-semibold">{e.serviceName}</p>
              <p className="text-sm text-stone-600">{formatSlotRange(e.startsAt, e.endsAt, timezone, locale)}</p>
              <p className="text-sm text-stone-600">
                {t(`status.${e.status}`)}
                {e.position !== null && ` · ${t("position", { position: e.position })}`}
                {e.offerExpiresAt && ` · ${t("offerUntil", { time: formatTime(e.offerExpiresAt, timezone, locale) })}`}
              </p>
            </div>
            <Link href={`/me/waitlist/${e.id}`} className="rounded-full border border-brand-600 px-3 py-1 text-sm text-brand-700">
              {e.status === "offered" ? t("respond") : t("details")}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
