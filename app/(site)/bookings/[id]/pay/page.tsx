import { headers } from "next/headers";
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
import { seriesIdOf } from "@/lib/booking/series-queries";
import { wechatOpenidOf } from "@/lib/auth/wechat-oauth";
import { wechatConfig } from "@/lib/wechat/config";
import { isWechatBrowser } from "@/lib/wechat/user-agent";
import { pollPaymentAction, startPayAction } from "./actions";

export const metadata = { title: "支付 Pay" };

export default async function PayPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ returned?: string }>;
}) {
  const { id } = await params;
  const user = await requirePageUser(`/bookings/${id}/pay`);
  const t = await getTranslations("pay");
  if (!z.uuid().safeParse(id).success) redirect("/me");
  const booking = await getBookingView(getDb(), id, { id: user.id, role: user.role });
  if (booking.status === "confirmed") redirect(`/bookings/${id}`);
  // A series week is paid with its series, by one payment.
  const seriesId = await seriesIdOf(getDb(), id);
  if (seriesId) redirect(`/series/${seriesId}/pay`);
  const inWechat = isWechatBrowser((await headers()).get("user-agent"));
  // JSAPI pay needs the customer's openid: fetched silently (snsapi_base) and bound to this account.
  if (inWechat && wechatConfig().official && !(await wechatOpenidOf(getDb(), user.id))) {
    return <WechatOpenidRedirect href={`/api/wechat/oauth?${new URLSearchParams({ callbackUrl: `/bookings/${id}/pay` })}`} />;
  }
  const deadline = booking.holdExpiresAt ? new Date(booking.holdExpiresAt) : null;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-600">
        {booking.serviceName} · <span className="font-mono">{booking.code}</span>
      </p>
      {booking.status === "pending_payment" && deadline && deadline > new Date() ? (
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
