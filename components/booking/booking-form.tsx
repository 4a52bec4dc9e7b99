"use client";

import { startTransition, useActionState, useEffect, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { PhoneCodeFields, type SendCode } from "@/components/auth/phone-code-fields";
import { PrivacyConsentBox } from "@/components/auth/privacy-consent";
import { useFixedFields } from "@/components/ui/use-fixed-fields";
import { formatFen } from "@/lib/money";
import { BookingError } from "./booking-error";
import { CustomField } from "./custom-field";
import type { Locale } from "@/lib/i18n/config";
import { FIELD_PREFIX, type BookingFormState, type FieldDefinition, type Slot } from "./types";
import type { BookerPass, ChargePreview, PreviewCharge } from "@/lib/site/types";

type Props = {
  serviceId: string;
  slot: Slot;
  capacity: number;
  priceFen: number;
  /** What is paid online for 1, 2, … seats (定金 or the full price), as the server's policy computes it. */
  dueBySeats: number[];
  currency: string;
  fields: FieldDefinition[];
  locale: Locale;
  /** Fresh per page render; with the slot id it is the booking's idempotency key. */
  nonce: string;
  action: (prev: BookingFormState, formData: FormData) => Promise<BookingFormState>;
  onRefresh: () => void;
  /** Guest booking: the visitor proves a phone number with an SMS code in this form instead of signing in first. */
  guestSendCode?: SendCode;
  /** The signed-in customer's cards usable for this service. */
  passes?: BookerPass[];
  /** Prices the booking with a card or a coupon (the server's pricing); without it the form offers neither. */
  preview?: PreviewCharge;
  /** The staff member picked (选技师); null: any available. */
  staffId?: string | null;
};

/** Codes after which the calendar is out of date. */
const STALE = new Set(["SLOT_FULL", "SLOT_CLOSED", "RESOURCE_BUSY", "RULE_VIOLATION", "NOT_FOUND"]);

export function BookingForm({
  serviceId,
  slot,
  capacity,
  priceFen,
  dueBySeats,
  currency,
  fields,
  locale,
  nonce,
  action,
  onRefresh,
  guestSendCode,
  passes = [],
  preview,
  staffId,
}: Props) {
  const t = useTranslations("booking");
  const tb = useTranslations("booker");
  const to = useTranslations("otp");
  const [state, dispatch, pending] = useActionState(action, null);
  // One key per form render: a double submit or a retry after a network error books once.
  const [idempotencyKey] = useState(() => `${nonce}:${slot.id}`);
  const [seats, setSeats] = useState(1);
  const fixed = useFixedFields(state);
  const maxSeats = Math.max(1, Math.min(slot.remaining, capacity, 10));
  const seatErrors = fixed.shown("seats", state?.fieldErrors?.seats);
  const [passId, setPassId] = useState("");
  const [couponInput, setCouponInput] = useState("");
  const [coupon, setCoupon] = useState("");
  const [quote, setQuote] = useState<ChargePreview | null>(null);
  const [quoting, startQuote] = useTransition();
  // Re-price whenever the card, the applied coupon or the seats change.
  useEffect(() => {
    if (!preview || (!passId && !coupon)) {
      setQuote(null);
      return;
    }
    startQuote(async () => {
      const next = await preview({ serviceId, seats, passId: passId || undefined, couponCode: coupon || undefined });
      setQuote(next);
      // A refused coupon is not kept: the booking goes ahead without it unless another is applied.
      if (!next.ok && coupon) setCoupon("");
    });
  }, [preview, serviceId, seats, passId, coupon]);
  const priced = quote?.ok ? quote.data : undefined;
  const total = priced?.totalFen ?? priceFen * seats;
  const due = priced?.dueFen ?? dueBySeats[seats - 1] ?? priceFen * seats;

  return (
    <form
      noValidate
      aria-label={t("formTitle")}
      data-testid="booking-form"
      className="space-y-4 border-t border-stone-100 pt-4"
      onChange={fixed.onChange}
      onSubmit={(e) => {
        e.preventDefault();
        // Not <form action>: React would reset the inputs after every attempt, losing the answers on an error.
        const formData = new FormData(e.currentTarget);
        startTransition(() => dispatch(formData));
      }}
    >
      <h3 className="font-semibold">{t("formTitle")}</h3>
      <input type="hidden" name="serviceId" value={serviceId} />
      <input type="hidden" name="timeslotId" value={slot.id} />
      <input type="hidden" name="staffId" value={staffId ?? "any"} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {capacity > 1 && (
        <div className="space-y-1">
          <label htmlFor="f-seats" className="block text-sm font-medium text-stone-700">
            {t("seats")}
          </label>
          <select
            id="f-seats"
            name="seats"
            value={seats}
            onChange={(e) => setSeats(Number(e.target.value))}
            aria-invalid={seatErrors?.length ? true : undefined}
            className="w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base"
          >
            {Array.from({ length: maxSeats }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {t("seatsOption", { count: n })}
              </option>
            ))}
          </select>
          {seatErrors?.map((m) => (
            <p key={m} className="text-sm text-red-600" role="alert">
              {m}
            </p>
          ))}
        </div>
      )}
      {fields.map((def) => (
        <CustomField
          key={def.key}
          def={def}
          locale={locale}
          errors={fixed.shown(`${FIELD_PREFIX}${def.key}`, state?.fieldErrors?.[`fields.${def.key}`])}
        />
      ))}
      {preview && (
        <fieldset className="space-y-2 rounded-lg border border-stone-200 p-3" data-testid="pay-with">
          <legend className="px-1 text-sm font-medium text-stone-700">{tb("payWith")}</legend>
          {passes.length > 0 && (
            <select
              name="passId"
              value={passId}
              onChange={(e) => setPassId(e.target.value)}
              aria-label={tb("passLabel")}
              className="w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base"
            >
              <option value="">{tb("noPass")}</option>
              {passes.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ·{" "}
                  {p.kind === "visits"
                    ? tb("passVisits", { count: p.remainingUses ?? 0 })
                    : p.kind === "value"
                      ? tb("passBalance", { amount: formatFen(p.balanceFen ?? 0, currency) })
                      : tb("passDiscount", { percent: p.discountPercent ?? 0 })}
                </option>
              ))}
            </select>
          )}
          <div className="flex gap-2">
            <input
              value={couponInput}
              onChange={(e) => setCouponInput(e.target.value)}
              placeholder={tb("couponLabel")}
              aria-label={tb("couponLabel")}
              autoCapitalize="characters"
              className="min-w-0 flex-1 rounded-lg border border-stone-300 bg-white px-3 py-2 text-base uppercase"
            />
            <button
              type="button"
              disabled={quoting || !couponInput.trim()}
              onClick={() => setCoupon(couponInput.trim())}
              className="shrink-0 rounded-lg border border-stone-300 px-3 py-2 text-sm disabled:opacity-60"
            >
              {tb("couponApply")}
            </button>
          </div>
          <input type="hidden" name="couponCode" value={coupon} />
          {quote && !quote.ok && (
            <p role="alert" className="text-sm text-red-600" data-testid="pay-with-error">
              {quote.message}
            </p>
          )}
          {priced && priced.discountFen > 0 && (
            <p className="text-sm text-emerald-700" data-testid="pay-with-discount">
              {tb("discountLine", { amount: formatFen(priced.discountFen, currency) })}
            </p>
          )}
        </fieldset>
      )}
      {guestSendCode && (
        <>
          <PhoneCodeFields sendCode={guestSendCode} errors={{ phone: state?.fieldErrors?.phone, code: state?.fieldErrors?.code }} />
          <PrivacyConsentBox errors={state?.fieldErrors?.privacyConsent} />
        </>
      )}
      <BookingError state={state} onRefresh={state?.code && STALE.has(state.code) ? onRefresh : undefined} />
      {/* The sticky bar: what it costs, what is paid now, and the one button. */}
      <div
        className="sticky bottom-0 z-10 -mx-4 flex items-center justify-between gap-3 border-t border-stone-200 bg-white/95 px-4 py-3 backdrop-blur sm:static sm:mx-0 sm:rounded-xl sm:border"
        data-testid="book-bar"
      >
        <div className="min-w-0 text-sm">
          {total === 0 ? (
            <p className="text-lg font-bold text-brand-700" data-testid="book-bar-price">
              {t("freeBooking")}
            </p>
          ) : (
            <>
              <p className="text-lg font-bold text-brand-700" data-testid="book-bar-price">
                {formatFen(total, currency)}
              </p>
              <p className="text-xs text-stone-500" data-testid="book-bar-deposit">
                {priced && (priced.passUses > 0 || priced.passFen > 0)
                  ? priced.passUses > 0
                    ? tb("paidByVisits", { count: priced.passUses })
                    : tb("paidByBalance", { amount: formatFen(priced.passFen, currency) })
                  : due < total
                    ? tb("depositNow", { amount: formatFen(due, currency) })
                    : tb("payInFull")}
              </p>
            </>
          )}
        </div>
        <button
          type="submit"
          disabled={pending}
          className="shrink-0 rounded-full bg-brand-600 px-6 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? t("submitting") : guestSendCode ? to("guestSubmit") : tb("bookNow")}
        </button>
      </div>
    </form>
  );
}
