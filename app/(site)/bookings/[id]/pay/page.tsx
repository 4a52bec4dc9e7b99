import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { HoldCountdown } from "@/components/payments/hold-countdown";
import { PayPanel } from "@/components/payments/pay-panel";
import { WechatOpenidRedirect } from "@/components/payments/wechat-openid-redirect";
import { requirePageUser } from "@/lib/auth/session";
import { getBookingView } from "@/lib/booking/queries";
import { wechatPayPage } from "@/lib/site/pay-attempt";
import { paypalOffered } from "@/lib/payments/providers";
import { formatFen } from "@/lib/money";
import { seriesIdOf } from "@/lib/booking/series-queries";
import { pollBalanceAction, pollPaymentAction, startPayAction } from "./actions";

export const metadata = { title: "支付 Pay" };

export default async function PayPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ returned?: string; balance?: string }>;
}) {
  const { id } = await params;
  const user = await requirePageUser(`/bookings/${id}/pay`);
  const t = await getTranslations("pay");
  if (!z.uuid().safeParse(id).success) redirect("/me");
  const booking = await getBookingView(getDb(), id, { id: user.id, role: user.role });
  // A confirmed booking pays its balance here when asked to (?balance=1, the booking page's link);
  // otherwise, as after paying the deposit, it goes to the booking.
  const balanceFen = booking.status === "confirmed" && (await searchParams).balance ? booking.balance.balanceFen : 0;
  if (booking.status === "confirmed" && balanceFen <= 0) redirect(`/bookings/${id}`);
  // A series week on hold is paid with its series, by one payment.
  const seriesId = booking.status === "confirmed" ? null : await seriesIdOf(getDb(), id);
  if (seriesId) redirect(`/series/${seriesId}/pay`);
  const { inWechat, openidHref } = await wechatPayPage(user.id, `/bookings/${id}/pay${balanceFen > 0 ? "?balance=1" : ""}`);
  if (openidHref) return <WechatOpenidRedirect href={openidHref} />;
  const deadline = booking.holdExpiresAt ? new Date(booking.holdExpiresAt) : null;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-600">
        {booking.serviceName} · <span className="font-mono">{booking.code}</span>
      </p>
      {balanceFen > 0 ? (
        <>
          <p className="text-sm text-stone-600" data-testid="pay-balance">
            {t("balanceIntro", { amount: formatFen(balanceFen) })}
          </p>
          <PayPanel
            bookingId={id}
            amountFen={balanceFen}
            start={startPayAction}
            poll={pollBalanceAction}
            pollNow={Boolean((await searchParams).returned)}
            inWechat={inWechat}
            paypal={paypalOffered()}
          />
        </>
      ) : booking.status === "pending_payment" && deadline && deadline > new Date() ? (
        <>
          <p className="text-sm text-amber-700" data-testid="pay-deadline">
            {t("holdUntil", {
              time: deadline.toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" }),
            })}
          </p>
          <HoldCountdown until={deadline.toISOString()} serverNow={new Date().toISOString()} />
          <PayPanel
            bookingId={id}
            amountFen={booking.amountDueFen}
            start={startPayAction}
            poll={pollPaymentAction}
            pollNow={Boolean((await searchParams).returned)}
            inWechat={inWechat}
            paypal={paypalOffered()}
          />
        </>
      ) : (
        <p role="alert" className="rounded-lg bg-stone-100 p-3">
          {t("notPayable", { status: booking.status })}
        </p>
      )}
      <Link href={`/bookings/${id}`} className="text-sm text-brand-600 underline">
        {t("back")}
      </Link>
    </div>
  );
}
