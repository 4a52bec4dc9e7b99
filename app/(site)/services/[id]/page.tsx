import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { BookingPanel } from "@/components/booking/booking-panel";
import { auth } from "@/lib/auth";
import { sendCodeAction } from "@/lib/notifications/code-actions";
import { dueBySeats } from "@/lib/booking/due-preview";
import { parseFieldDefinitions } from "@/lib/booking/fields";
import { toLocale } from "@/lib/i18n/config";
import { formatFen } from "@/lib/money";
import { getService, staffByService } from "@/lib/services/queries";
import { createBookingAction, loadSlotsAction, previewChargeAction } from "@/lib/site/booking-actions";
import { usablePasses } from "@/lib/passes/queries";
import { initialSlots } from "@/lib/site/initial-slots";
import { joinWaitlistAction } from "@/lib/site/waitlist-actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ date?: string | string[]; slot?: string | string[] }> };

async function loadService(id: string) {
  if (!z.uuid().safeParse(id).success) return undefined;
  return getService(getDb(), id);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [service, locale] = await Promise.all([loadService((await params).id), getLocale()]);
  if (!service) return {};
  return { title: locale === "en" && service.nameEn ? service.nameEn : service.name };
}

export default async function ServicePage({ params, searchParams }: Props) {
  const { id } = await params;
  const { date, slot } = await searchParams;
  const service = await loadService(id);
  if (!service) notFound();
  const [session, localeRaw, t, th, slots, due, staff] = await Promise.all([
    auth(),
    getLocale(),
    getTranslations("booking"),
    getTranslations("home"),
    initialSlots(service.id, typeof date === "string" ? date : undefined),
    dueBySeats(getDb(), service, Math.min(service.capacity, 10)),
    staffByService(getDb(), [service.id]),
  ]);
  const locale = toLocale(localeRaw);
  const name = locale === "en" && service.nameEn ? service.nameEn : service.name;
  const description = locale === "en" && service.descriptionEn ? service.descriptionEn : service.description;
  const signedIn = Boolean(session?.user?.id);
  const passes = session?.user?.id && service.priceFen > 0 ? await usablePasses(getDb(), session.user.id, service.id) : [];
  const selfHref = `/services/${service.id}`;
  const chip = "rounded-full bg-stone-100 px-2.5 py-1";

  return (
    <div className="space-y-6">
      <Link href="/services" className="text-sm text-stone-500 hover:text-brand-600">
        ← {t("back")}
      </Link>
      <header className="space-y-3 rounded-2xl border border-stone-200 bg-white p-5" data-testid="service-details">
        <h1 className="text-2xl font-bold">{name}</h1>
        {description && <p className="text-stone-600">{description}</p>}
        <div className="flex flex-wrap gap-2 text-sm text-stone-700">
          <span className={chip}>{th("minutes", { count: service.durationMin })}</span>
          <span className="rounded-full bg-brand-50 px-2.5 py-1 font-medium text-brand-700" data-testid="service-price">
            {service.priceFen === 0 ? th("free") : formatFen(service.priceFen, service.currency)}
          </span>
          {service.depositFen > 0 && (
            <span className={chip}>{th("deposit", { amount: formatFen(service.depositFen, service.currency) })}</span>
          )}
          <span className={chip}>{service.capacity > 1 ? t("seatsPerSlot", { count: service.capacity }) : t("oneOnOne")}</span>
        </div>
        {!service.active && (
          <p role="alert" className="rounded-lg bg-stone-100 px-3 py-2 text-sm text-stone-700">
            {t("inactive")}
          </p>
        )}
      </header>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">{t("chooseSlot")}</h2>
        {!signedIn && (
          <p className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="sign-in-prompt">
            {t("signInPrompt")}{" "}
            <Link href={`/signin?callbackUrl=${encodeURIComponent(selfHref)}`} className="font-medium underline">
              {t("signInLink")}
            </Link>
          </p>
        )}
        {slots.error && (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
            {slots.error}
          </p>
        )}
        <BookingPanel
          service={{
            id: service.id,
            capacity: service.capacity,
            priceFen: service.priceFen,
            dueBySeats: due,
            currency: service.currency,
            fields: parseFieldDefinitions(service.fields),
          }}
          timezone={slots.zone}
          locale={locale}
          initial={slots.initial}
          initialDate={slots.firstOpen ?? slots.date}
          initialSelectedId={typeof slot === "string" && z.uuid().safeParse(slot).success ? slot : null}
          signInReturn={signedIn ? null : selfHref}
          sendCode={sendCodeAction}
          nonce={randomUUID()}
          loadSlots={loadSlotsAction}
          pay={service.priceFen > 0 ? { passes, preview: previewChargeAction } : undefined}
          createBooking={createBookingAction}
          joinWaitlist={joinWaitlistAction}
          staff={staff.get(service.id) ?? []}
        />
      </section>
    </div>
  );
}
