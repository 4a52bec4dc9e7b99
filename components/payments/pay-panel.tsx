"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import type { PayState } from "@/lib/site/types";
import { formatFen } from "@/lib/money";

export type { PayState };

type BridgeAnswer = { err_msg?: string };
declare global {
  interface Window {
    WeixinJSBridge?: { invoke(api: string, args: Record<string, string>, done: (answer: BridgeAnswer) => void): void };
  }
}

/** Hands the signed order to WeChat's own cashier; resolves with its err_msg (…:ok, …:cancel, …:fail). */
function payInWechat(args: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const call = () => window.WeixinJSBridge?.invoke("getBrandWCPayRequest", args, (answer) => resolve(answer.err_msg ?? ""));
    if (window.WeixinJSBridge) call();
    else document.addEventListener("WeixinJSBridgeReady", call, { once: true });
  });
}

type Props = {
  bookingId: string;
  amountFen: number;
  start: (bookingId: string, input: { provider: string; mobile: boolean }) => Promise<PayState>;
  poll: (bookingId: string) => Promise<{ status?: string }>;
  pollNow?: boolean;
  /** Where a confirmed payment goes (default: the booking's page); a card order goes to "my cards". */
  doneHref?: string;
  /** Opened in the WeChat browser: WeChat Pay goes by JSAPI, and Alipay cannot open here. */
  inWechat?: boolean;
  /** PayPal is offered only where this deployment configured it. */
  paypal?: boolean;
};

const providers = [
  { id: "alipay", color: "bg-sky-600 hover:bg-sky-700" },
  { id: "wechat", color: "bg-green-600 hover:bg-green-700" },
  { id: "paypal", color: "bg-blue-800 hover:bg-blue-900" },
] as const;

export function PayPanel({ bookingId, amountFen, start, poll, pollNow, doneHref, inWechat = false, paypal = false }: Props) {
  const t = useTranslations("pay");
  const router = useRouter();
  const [state, setState] = useState<PayState | null>(null);
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState("pending_payment");
  const [provider, setProvider] = useState<string | null>(null);
  const tApp = useTranslations("payApp");
  const [bridge, setBridge] = useState<"cancel" | "fail" | null>(null);

  // Poll while an order is open (or when the wallet sent the buyer back here).
  useEffect(() => {
    if (!(state?.ok || pollNow)) return;
    let stop = false;
    const tick = async () => {
      if (stop) return;
      const r = await poll(bookingId).catch(() => null);
      if (r?.status) setStatus(r.status);
      if (r?.status === "confirmed") router.push(doneHref ?? `/bookings/${bookingId}?paid=1`);
      else if (!stop) setTimeout(tick, 2000);
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [state, pollNow, bookingId, poll, router, doneHref]);

  // One tap on a phone: start the order and go straight to the wallet; it sends the buyer back here
  // (?returned=1), where the poll confirms. Desktop shows the QR to scan with that app.
  const choose = (chosen: string) =>
    startTransition(async () => {
      const mobile = window.matchMedia("(max-width: 767px)").matches;
      setProvider(chosen);
      const next = await start(bookingId, { provider: chosen, mobile });
      setState(next);
      setBridge(null);
      const jsapi = next.ok ? next.data?.jsapi : undefined;
      if (jsapi) {
        // Paid or not, the poll asks the gateway: the bridge's "ok" is a hint, the notify is the proof.
        const answer = await payInWechat(jsapi);
        if (answer.endsWith(":cancel")) setBridge("cancel");
        else if (!answer.endsWith(":ok")) setBridge("fail");
        return;
      }
      // PayPal approves on its own page on every device and sends the buyer back here (?returned=1).
      if ((mobile || chosen === "paypal") && next.ok && next.data?.openUrl) window.location.assign(next.data.openUrl);
    });

  return (
    <div className="space-y-4">
      <p className="text-lg">
        {t("amount")} <strong data-testid="pay-amount">{formatFen(amountFen)}</strong>
      </p>
      <div className="grid grid-cols-2 gap-3">
        {providers
          .filter((p) => p.id !== "paypal" || paypal)
          .map((p) =>
            inWechat && p.id === "alipay" ? (
              <p key={p.id} className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="alipay-in-wechat">
                {t("alipayInWechat")}
              </p>
            ) : (
              <button
                key={p.id}
                type="button"
                disabled={pending}
                onClick={() => choose(p.id)}
                className={`rounded-lg px-4 py-3 font-medium text-white disabled:opacity-60 ${p.color}`}
              >
                {t(p.id)}
              </button>
            ),
          )}
      </div>
      {state && !state.ok && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.message}
        </p>
      )}
      {bridge && (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="wechat-pay-result">
          {t(bridge === "cancel" ? "wechatCancelled" : "wechatFailed")}
        </p>
      )}
      {state?.ok && (
        <div className="space-y-3 rounded-xl border border-stone-200 bg-white p-4 text-center" data-testid="pay-order">
          {state.data?.qrDataUrl && (
            <>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={state.data?.qrDataUrl} alt={t("qrAlt")} className="mx-auto h-60 w-60" />
              <p className="text-sm font-medium text-stone-700" data-testid="pay-scan-with">
                {provider === "alipay" || provider === "wechat" ? tApp(`scanWith_${provider}`) : t("scan")}
              </p>
            </>
          )}
          {state.data?.openUrl && (
            <a
              href={state.data?.openUrl}
              target="_blank"
              rel="noopener"
              className="inline-block rounded-lg bg-brand-600 px-4 py-2 text-white"
              data-testid="pay-open"
            >
              {t("open")}
            </a>
          )}
          <p className="text-sm text-stone-500" aria-live="polite">
            {status === "confirmed" ? t("paid") : t("waiting")}
          </p>
        </div>
      )}
    </div>
  );
}
