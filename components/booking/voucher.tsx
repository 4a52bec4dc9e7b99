import { useTranslations } from "next-intl";
import { formatFen } from "@/lib/money";
import type { BookingDto } from "@/lib/booking/dto";

type Props = {
  booking: Pick<BookingDto, "id" | "code" | "status" | "priceFen" | "amountDueFen" | "checkedInAt">;
  /** The check-in code as a QR image (PNG data URL), drawn on the server. */
  qrDataUrl: string;
  currency: string;
  business: { name: string; address: string | null; phone: string | null };
};

/** Map search for the shop's address (高德's public URI API opens the app on phones, the web map elsewhere). */
const mapHref = (name: string, address: string) => `https://uri.amap.com/search?keyword=${encodeURIComponent(`${address} ${name}`)}`;

/**
 * The booking as a voucher (核销码): the QR of the check-in code staff scan at the desk, the code to type
 * if the camera fails, and what the customer needs on the way: calendar, address, phone, what is left to
 * pay. Only a confirmed booking is a valid voucher; the others are greyed with the reason.
 */
export function Voucher({ booking: b, qrDataUrl, currency, business }: Props) {
  const t = useTranslations("voucher");
  const tb = useTranslations("booking");
  const valid = b.status === "confirmed" && !b.checkedInAt;
  const state = b.checkedInAt ? "completed" : b.status;
  const deskFen = Math.max(0, b.priceFen - b.amountDueFen);
  const link = "font-medium text-brand-700 underline";
  return (
    <section
      className={`space-y-4 rounded-2xl border-2 border-dashed p-5 ${valid ? "border-brand-500 bg-white" : "border-stone-300 bg-stone-50"}`}
      data-testid="voucher"
      data-valid={valid ? "true" : "false"}
      aria-label={t("title")}
    >
      <div className={`space-y-2 text-center ${valid ? "" : "opacity-50 grayscale"}`}>
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL drawn on the server */}
        <img
          src={qrDataUrl}
          alt={t("qrAlt", { code: b.code })}
          width={200}
          height={200}
          className="mx-auto h-48 w-48"
          data-testid="voucher-qr"
        />
        <p className="text-sm text-stone-500">{tb("code")}</p>
        <p className="font-mono text-4xl font-bold tracking-[0.2em] text-brand-700 sm:text-5xl" data-testid="booking-code">
          {b.code}
        </p>
      </div>
      <p
        className={`text-center text-sm ${valid ? "text-stone-600" : "font-medium text-stone-700"}`}
        data-testid="voucher-state"
        role={valid ? undefined : "note"}
      >
        {valid ? tb("codeHint") : t(`invalid.${state}`)}
      </p>
      <dl className="divide-y divide-stone-100 border-t border-stone-100 text-sm">
        <div className="flex justify-between gap-4 py-2">
          <dt className="text-stone-500">{t("atDesk")}</dt>
          <dd className="font-medium" data-testid="voucher-desk">
            {b.priceFen === 0 || deskFen === 0 ? t("nothingAtDesk") : formatFen(deskFen, currency)}
          </dd>
        </div>
        {business.address && (
          <div className="flex justify-between gap-4 py-2">
            <dt className="shrink-0 text-stone-500">{tb("address")}</dt>
            <dd className="text-right">
              {business.address}{" "}
              <a href={mapHref(business.name, business.address)} target="_blank" rel="noopener" className={link} data-testid="voucher-map">
                {t("map")}
              </a>
            </dd>
          </div>
        )}
        {business.phone && (
          <div className="flex justify-between gap-4 py-2">
            <dt className="text-stone-500">{t("phone")}</dt>
            <dd>
              <a href={`tel:${business.phone.replace(/\s+/g, "")}`} className={link} data-testid="voucher-phone">
                {business.phone}
              </a>
            </dd>
          </div>
        )}
      </dl>
      {b.status !== "cancelled" && b.status !== "expired" && (
        <a
          href={`/bookings/${b.id}/calendar`}
          download
          className="block rounded-lg border border-stone-300 px-4 py-2 text-center text-sm font-medium hover:border-brand-500 hover:text-brand-700"
          data-testid="voucher-ics"
        >
          {t("addToCalendar")}
        </a>
      )}
    </section>
  );
}
