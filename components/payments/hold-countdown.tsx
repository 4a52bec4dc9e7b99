"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Time left until the seat hold ends ("14:59"), ticking every second. The server expires the hold
 * on its own clock; this only tells the customer how long they have.
 */
export function HoldCountdown({ until, serverNow }: { until: string; serverNow: string }) {
  const t = useTranslations("payHold");
  // The browser's clock may be off: count from the server's time at render, shifted by the time since.
  const [offset] = useState(() => Date.parse(serverNow) - Date.now());
  const [now, setNow] = useState(() => Date.parse(serverNow));
  useEffect(() => {
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [offset]);
  const left = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  const text =
    left >= 3600
      ? `${Math.floor(left / 3600)}:${pad(Math.floor(left / 60) % 60)}:${pad(left % 60)}`
      : `${pad(Math.floor(left / 60))}:${pad(left % 60)}`;
  return (
    <p
      className={`rounded-lg px-3 py-2 text-sm ${left > 0 ? "bg-amber-50 text-amber-900" : "bg-stone-100 text-stone-700"}`}
      data-testid="hold-countdown"
      data-seconds={left}
    >
      {left > 0 ? (
        <>
          {t("left")}{" "}
          <span className="font-mono text-lg font-bold tabular-nums" role="timer" aria-live="off">
            {text}
          </span>{" "}
          {t("release")}
        </>
      ) : (
        t("over")
      )}
    </p>
  );
}
