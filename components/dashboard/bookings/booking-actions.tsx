"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import {
  cancelAction,
  checkInAction,
  completeAction,
  deskPaymentAction,
  deskRefundAction,
  noShowAction,
  refundAction,
  rescheduleAction,
} from "@/lib/dashboard/actions/bookings";
import { formatFen } from "@/lib/money";
import type { DashResult } from "@/lib/dashboard/run-action";
import { ActionForm, ResultMessage, type FormAction } from "../action-form";

type Keep = <T>(action: FormAction<T>) => FormAction<T>;
import { formatDateTime } from "@/components/format";
import { dangerButtonClass, inputClass, secondaryButtonClass } from "../ui";

type Props = {
  booking: { id: string; code: string; status: string; checkedInAt: Date | null; startsAt: Date };
  quote: { percent: number; refundFen: number; paidFen: number; deadline: Date; allowedForCustomer: boolean } | null;
  rescheduleOptions: { id: string; startsAt: Date; remaining: number }[];
  refundableFen: number;
  /** What is still due (the desk collects it); 0 when settled or no longer owed. */
  balanceFen: number;
  /** Desk refunds owed to the customer: money to hand back at the venue. */
  deskRefunds: { id: string; amountFen: number; method: string | null }[];
  timezone: string;
};

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="space-y-2 border-t border-stone-100 pt-3 first:border-0 first:pt-0" data-testid={testId}>
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </div>
  );
}

/** What staff can do with one booking, offered by its state; the server guards every transition again. */
export function BookingActions(props: Props) {
  const t = useTranslations("dash.actions");
  // A transition may remove the form that made it (a cancelled booking has no cancel form): its result is kept here.
  // The action is wrapped (not observed from the form's effect): the form may unmount in the very render that brings its result.
  const [notice, setNotice] = useState<DashResult | null>(null);
  const keep: Keep = (action) => async (prev, fd) => {
    const result = await action(prev, fd);
    if (result.ok) setNotice(result);
    return result;
  };
  const open = props.booking.status === "pending_payment" || props.booking.status === "confirmed";
  return (
    <div className="space-y-4">
      <ResultMessage state={notice} testId="action-notice" />
      {props.balanceFen > 0 && <DeskPayment bookingId={props.booking.id} balanceFen={props.balanceFen} onDone={keep} />}
      {props.deskRefunds.length > 0 && (
        <Section title={t("deskRefundsTitle")} testId="desk-refunds-owed">
          <p className="text-xs text-stone-500">{t("deskRefundsHint")}</p>
          {props.deskRefunds.map((r) => (
            <ActionForm
              key={r.id}
              action={keep(deskRefundAction)}
              submitLabel={t("deskRefundDone", { amount: formatFen(r.amountFen) })}
              submitClass={secondaryButtonClass}
              confirmText={t("deskRefundConfirm", { amount: formatFen(r.amountFen) })}
            >
              <input type="hidden" name="refundId" value={r.id} />
            </ActionForm>
          ))}
        </Section>
      )}
      {open ? <OpenBookingActions {...props} onDone={keep} /> : <p className="text-sm text-stone-500">{t("none")}</p>}
      {props.refundableFen > 0 && (
        <Section title={t("refundTitle")} testId="action-refund">
          <p className="text-xs text-stone-500">{t("refundHint", { amount: formatFen(props.refundableFen) })}</p>
          <ActionForm
            action={refundAction}
            submitLabel={t("refund")}
            confirmText={t("refundConfirm")}
            resultTestId="refund-result"
            resetOnSuccess
          >
            <input type="hidden" name="bookingId" value={props.booking.id} />
            <input
              name="amountFen"
              inputMode="decimal"
              required
              placeholder={t("refundAmount")}
              aria-label={t("refundAmount")}
              className={inputClass}
            />
            <input name="reason" required placeholder={t("reasonPlaceholder")} aria-label={t("reason")} className={inputClass} />
          </ActionForm>
        </Section>
      )}
    </div>
  );
}

/** 收款: cash, card or other taken at the desk, the whole balance unless an amount is typed; confirms a booking on hold. */
function DeskPayment({ bookingId, balanceFen, onDone: keep }: { bookingId: string; balanceFen: number; onDone: Keep }) {
  const t = useTranslations("dash.actions");
  return (
    <Section title={t("deskPaymentTitle")} testId="action-desk-payment">
      <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="balance-due" data-balance-fen={balanceFen}>
        {t("balanceDue", { amount: formatFen(balanceFen) })}
      </p>
      <ActionForm action={keep(deskPaymentAction)} submitLabel={t("deskPaymentSubmit")} resultTestId="desk-payment-result" resetOnSuccess>
        <input type="hidden" name="bookingId" value={bookingId} />
        <select name="method" className={inputClass} aria-label={t("deskMethod")} defaultValue="cash" data-testid="desk-method">
          <option value="cash">{t("deskMethodCash")}</option>
          <option value="card">{t("deskMethodCard")}</option>
          <option value="other">{t("deskMethodOther")}</option>
        </select>
        <input
          name="amountFen"
          inputMode="decimal"
          placeholder={t("deskAmountPlaceholder", { amount: formatFen(balanceFen) })}
          aria-label={t("deskAmount")}
          className={inputClass}
        />
        <input name="note" placeholder={t("deskNote")} aria-label={t("deskNote")} className={inputClass} />
      </ActionForm>
    </Section>
  );
}

function OpenBookingActions({ booking, quote, rescheduleOptions, timezone, onDone: keep }: Props & { onDone: Keep }) {
  const t = useTranslations("dash.actions");
  const locale = useLocale();
  const router = useRouter();
  const id = <input type="hidden" name="bookingId" value={booking.id} />;
  const started = new Date(booking.startsAt).getTime() <= Date.now();
  // The moved booking is a new one: go there (the old one is cancelled, and its forms are gone with it).
  const reschedule: FormAction<{ bookingId: string }> = async (prev, fd) => {
    const result = await keep(rescheduleAction)(prev, fd);
    if (result.ok && result.data) router.push(`/dashboard/bookings/${result.data.bookingId}`);
    return result;
  };
  const { status } = booking;
  return (
    <div className="space-y-4">
      {status === "confirmed" && !booking.checkedInAt && (
        <Section title={t("checkInTitle")} testId="action-check-in">
          <ActionForm action={keep(checkInAction)} submitLabel={t("checkIn", { code: booking.code })} resultTestId="check-in-result">
            <input type="hidden" name="code" value={booking.code} />
          </ActionForm>
        </Section>
      )}
      {status === "confirmed" && (
        <Section title={t("outcomeTitle")} testId="action-outcome">
          <div className="flex flex-wrap gap-2">
            {(started || booking.checkedInAt) && (
              <ActionForm action={keep(completeAction)} submitLabel={t("complete")} submitClass={secondaryButtonClass} className="contents">
                {id}
              </ActionForm>
            )}
            {started && !booking.checkedInAt && (
              <ActionForm
                action={keep(noShowAction)}
                submitLabel={t("noShow")}
                submitClass={secondaryButtonClass}
                className="contents"
                confirmText={t("noShowConfirm")}
              >
                {id}
              </ActionForm>
            )}
          </div>
          {!started && !booking.checkedInAt && (
            <p className="text-xs text-stone-500" data-testid="complete-after-start">
              {t("completeAfterStart")}
            </p>
          )}
        </Section>
      )}
      {rescheduleOptions.length > 0 && (
        <Section title={t("rescheduleTitle")} testId="action-reschedule">
          <ActionForm action={reschedule} submitLabel={t("reschedule")} submitClass={secondaryButtonClass}>
            {id}
            <select name="timeslotId" className={inputClass} aria-label={t("newSlot")} required defaultValue="">
              <option value="" disabled>
                {t("newSlot")}
              </option>
              {rescheduleOptions.map((o) => (
                <option key={o.id} value={o.id}>
                  {formatDateTime(o.startsAt, locale, timezone, "full")} · {t("left", { count: o.remaining })}
                </option>
              ))}
            </select>
          </ActionForm>
        </Section>
      )}
      <Section title={t("cancelTitle")} testId="action-cancel">
        {quote && (
          <p
            className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900"
            data-testid="refund-preview"
            data-percent={quote.percent}
            data-refund-fen={quote.refundFen}
          >
            {t("refundPreview", { percent: quote.percent, amount: formatFen(quote.refundFen), paid: formatFen(quote.paidFen) })}
            {!quote.allowedForCustomer && (
              <span className="block text-xs">{t("pastDeadline", { deadline: formatDateTime(quote.deadline, locale, timezone) })}</span>
            )}
          </p>
        )}
        <ActionForm
          action={keep(cancelAction)}
          submitLabel={t("cancel")}
          submitClass={dangerButtonClass}
          confirmText={t("cancelConfirm")}
          resultTestId="cancel-result"
        >
          {id}
          <input name="reason" required placeholder={t("reasonPlaceholder")} className={inputClass} aria-label={t("reason")} />
        </ActionForm>
      </Section>
    </div>
  );
}
