import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { SeriesBooker } from "@/components/booking/series-booker";
import { formatSlotRange } from "@/components/booking/format";
import { requirePageUser } from "@/lib/auth/session";
import { loadSlotContext } from "@/lib/booking/context";
import { parseFieldDefinitions } from "@/lib/booking/fields";
import { MAX_SERIES_COUNT } from "@/lib/validations/series";
import { isAppError } from "@/lib/errors";
import { toLocale } from "@/lib/i18n/config";
import { bookSeriesAction, previewSeriesAction } from "@/lib/site/series-actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "每周重复预约 Weekly booking" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ slot?: string | string[] }> };

/** 每周重复预约 from a chosen slot: the same weekday and time for several weeks, paid once. */
export default async function SeriesPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { slot } = await searchParams;
  const self = `/services/${id}/series${typeof slot === "string" ? `?slot=${encodeURIComponent(slot)}` : ""}`;
  await requirePageUser(self);
  if (!z.uuid().safeParse(id).success || typeof slot !== "string" || !z.uuid().safeParse(slot).success) notFound();
  const ctx = await loadSlotContext(getDb(), slot).catch((e: unknown) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  if (ctx.service.id !== id) notFound();
  const [t, locale] = [await getTranslations("series"), toLocale(await getLocale())];
  const name = locale === "en" && ctx.service.nameEn ? ctx.service.nameEn : ctx.service.name;
  const zone = ctx.business.timezone;
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <Link href={`/services/${id}?slot=${slot}`} className="text-sm text-stone-500 hover:text-brand-600">
        ← {name}
      </Link>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-600">
        {t("intro", { first: formatSlotRange(ctx.slot.startsAt.toISOString(), ctx.slot.endsAt.toISOString(), zone, locale) })}
      </p>
      <SeriesBooker
        timeslotId={slot}
        fields={parseFieldDefinitions(ctx.service.fields)}
        locale={locale}
        timezone={zone}
        maxCount={MAX_SERIES_COUNT}
        preview={previewSeriesAction}
        book={bookSeriesAction}
      />
    </div>
  );
}
