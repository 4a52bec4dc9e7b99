import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { PayPanel } from "@/components/payments/pay-panel";
import { WechatOpenidRedirect } from "@/components/payments/wechat-openid-redirect";
import { requirePageUser } from "@/lib/auth/session";
import { currentBusiness } from "@/lib/business/queries";
import { listPlans } from "@/lib/passes/queries";
import { wechatPayPage } from "@/lib/site/pay-attempt";
import { pollBuyAction, startBuyAction } from "./actions";

export const metadata = { title: "购卡 Buy a card" };

export default async function BuyPassPage({
  params,
  searchParams,
}: {
  params: Promise<{ planId: string }>;
  searchParams: Promise<{ returned?: string }>;
}) {
  const { planId } = await params;
  const user = await requirePageUser(`/me/passes/buy/${planId}`);
  if (!z.uuid().safeParse(planId).success) notFound();
  const db = getDb();
  const plan = (await listPlans(db, (await currentBusiness(db)).id, true)).find((p) => p.id === planId && p.priceFen > 0);
  if (!plan) notFound();
  const t = await getTranslations("passes");
  const { inWechat, openidHref } = await wechatPayPage(user.id, `/me/passes/buy/${planId}`);
  if (openidHref) return <WechatOpenidRedirect href={openidHref} />;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">{t("buyTitle")}</h1>
      <p className="text-stone-600" data-testid="buy-plan-name">
        {plan.name}
      </p>
      <PayPanel
        bookingId={plan.id}
        amountFen={plan.priceFen}
        start={startBuyAction}
        poll={pollBuyAction}
        pollNow={Boolean((await searchParams).returned)}
        doneHref="/me/passes?bought=1"
        inWechat={inWechat}
      />
      <Link href="/me/passes" className="text-sm text-brand-600 underline">
        {t("back")}
      </Link>
    </div>
  );
}
