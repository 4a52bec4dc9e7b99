"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import type { SendCodeResult } from "@/lib/notifications/code-actions";

export type SendCode = (phone: string) => Promise<SendCodeResult>;

type Props = {
  sendCode: SendCode;
  phoneName?: string;
  phoneLabel?: string;
  defaultPhone?: string;
  errors?: { phone?: string[]; code?: string[] };
};

/** Phone input, a "send code" button with its resend countdown, and the 6-digit code input. */
export function PhoneCodeFields({ sendCode, phoneName = "phone", phoneLabel, defaultPhone, errors }: Props) {
  const t = useTranslations("otp");
  const [phone, setPhone] = useState(defaultPhone ?? "");
  const [wait, setWait] = useState(0);
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; message: string } | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  useEffect(() => () => void (timer.current && clearInterval(timer.current)), []);

  function countDown(seconds: number) {
    setWait(seconds);
    if (timer.current) clearInterval(timer.current);
    timer.current = setInterval(() => setWait((s) => (s <= 1 ? (timer.current && clearInterval(timer.current), 0) : s - 1)), 1000);
  }

  async function onSend() {
    setSending(true);
    try {
      const res = await sendCode(phone);
      setNote({ ok: res.ok, message: res.message });
      if (res.resendAfterSec) countDown(res.resendAfterSec);
    } finally {
      setSending(false);
    }
  }

  const input =
    "w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100";
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <label htmlFor={`f-${phoneName}`} className="block text-sm font-medium text-stone-700">
          {phoneLabel ?? t("phone")}
        </label>
        <div className="flex gap-2">
          <input
            id={`f-${phoneName}`}
            name={phoneName}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            aria-invalid={errors?.phone?.length ? true : undefined}
            className={input}
            required
          />
          <button
            type="button"
            onClick={onSend}
            disabled={sending || wait > 0 || phone.trim() === ""}
            className="shrink-0 rounded-lg border border-brand-600 px-3 py-2 text-sm font-medium text-brand-700 disabled:opacity-50"
          >
            {wait > 0 ? t("resendIn", { seconds: wait }) : t("sendCode")}
          </button>
        </div>
        {errors?.phone?.map((e) => (
          <p key={e} className="text-sm text-red-600" role="alert">
            {e}
          </p>
        ))}
        {note && (
          <p role="status" className={note.ok ? "text-sm text-green-700" : "text-sm text-red-600"} data-testid="code-status">
            {note.message}
          </p>
        )}
      </div>
      <div className="space-y-1">
        <label htmlFor="f-code" className="block text-sm font-medium text-stone-700">
          {t("code")}
        </label>
        <input
          id="f-code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          maxLength={6}
          aria-invalid={errors?.code?.length ? true : undefined}
          className={input}
          required
        />
        {errors?.code?.map((e) => (
          <p key={e} className="text-sm text-red-600" role="alert">
            {e}
          </p>
        ))}
      </div>
    </div>
  );
}
