import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { formatSlotRange, formatTime } from "@/components/booking/format";
import { WaitlistOffer } from "@/components/booking/waitlist-offer";
import { requirePageUser } from "@/lib/auth/session";
import { getMyWaitlistEntry } from "@/lib/booking/waitlist";
import { currentBusiness } from "@/lib/business/queries";
import { toLocale } from "@/lib/i18n/config";
import { acceptOfferAction, leaveWaitlistAction } from "@/lib/site/waitlist-actions";

export const dynamic = "force-dynamic";

/** One waitlist entry: where it stands, and the offer's accept or pay button (the link in the offer message). */
export default async function WaitlistEntryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/me/waitlist/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  const [entry, business, t, locale] = await Promise.all([
    getMyWaitlistEntry(db, id, user.id),
    currentBusiness(db),
    getTranslations("waitlist"),
    getLocale().then(toLocale),
  ]);
  if (!entry) notFound();
  const zone = business.timezone;
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <Link href="/me" className="text-sm text-stone-500 hover:text-brand-600">
        ← {t("mine")}
      </Link>
      <section
        className="space-y-3 rounded-2xl border border-stone-200 bg-white p-5"
        data-testid="waitlist-entry"
        data-status={entry.status}
      >
        <h1 className="text-xl font-bold">{entry.serviceName}</h1>
        <p className="text-stone-700">{formatSlotRange(entry.startsAt, entry.endsAt, zone, locale)}</p>
        <p className="font-medium" data-testid="waitlist-status">
          {t(`status.${entry.status}`)}
          {entry.position !== null && ` · ${t("position", { position: entry.position })}`}
        </p>
        {entry.offerExpiresAt && (
          <p className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700">
            {t(entry.bookingId ? "offerPayHint" : "offerAcceptHint", { time: formatTime(entry.offerExpiresAt, zone, locale) })}
          </p>
        )}
        <WaitlistOffer entry={entry} accept={acceptOfferAction} leave={leaveWaitlistAction} />
      </section>
    </div>
  );
}
