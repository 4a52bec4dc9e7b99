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
import { wechatOpenidOf } from "@/lib/auth/wechat-oauth";
import { getSeriesView } from "@/lib/booking/series-queries";
import { wechatConfig } from "@/lib/wechat/config";
import { isWechatBrowser } from "@/lib/wechat/user-agent";
import { pollSeriesPaymentAction, startSeriesPayAction } from "./actions";

export const metadata = { title: "支付 Pay" };

/** One payment for every week of the series on hold. */
export default async function SeriesPayPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ returned?: string }>;
}) {
  const { id } = await params;
  const user = await requirePageUser(`/series/${id}/pay`);
  if (!z.uuid().safeParse(id).success) redirect("/me");
  const [t, ts] = [await getTranslations("pay"), await getTranslations("series")];
  const series = await getSeriesView(getDb(), id, { id: user.id, role: user.role });
  if (series.status === "confirmed") redirect(`/series/${id}`);
  const inWechat = isWechatBrowser((await headers()).get("user-agent"));
  if (inWechat && wechatConfig().official && !(await wechatOpenidOf(getDb(), user.id))) {
    return <WechatOpenidRedirect href={`/api/wechat/oauth?${new URLSearchParams({ callbackUrl: `/series/${id}/pay` })}`} />;
  }
  const deadline = series.holdExpiresAt ? new Date(series.holdExpiresAt) : null;
  const weeks = series.bookings.filter((b) => b.status === "pending_payment").length;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-600" data-testid="series-summary">
        {series.serviceName} · {ts("weeksOption", { count: weeks })}
      </p>
      {series.status === "pending_payment" && deadline && deadline > new Date() ? (
        <>
          <p className="text-sm text-amber-700" data-testid="pay-deadline">
            {t("holdUntil", {
              time: deadline.toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" }),
            })}
          </p>
          <HoldCountdown until={deadline.toISOString()} serverNow={new Date().toISOString()} />
          <PayPanel
            bookingId={id}
            amountFen={series.amountDueFen}
            start={startSeriesPayAction}
            poll={pollSeriesPaymentAction}
            pollNow={Boolean((await searchParams).returned)}
            doneHref={`/series/${id}?paid=1`}
            inWechat={inWechat}
          />
        </>
      ) : (
        <p role="alert" className="rounded-lg bg-stone-100 p-3">
          {t("notPayable", { status: series.status })}
        </p>
      )}
      <Link href={`/series/${id}`} className="text-sm text-brand-600 underline">
        {t("back")}
      </Link>
    </div>
  );
}
