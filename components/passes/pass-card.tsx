import { getTranslations } from "next-intl/server";
import { formatDateTime } from "@/components/format";
import { formatFen } from "@/lib/money";
import type { PassDto } from "@/lib/passes/queries";

/** One card in "my cards": what is left, until when, its state. */
export async function PassCard({ pass, locale, timezone }: { pass: PassDto; locale: string; timezone: string }) {
  const t = await getTranslations("passes");
  return (
    <li
      className={`rounded-xl border p-4 ${pass.state === "active" ? "border-brand-200 bg-brand-50" : "border-stone-200 bg-stone-50 text-stone-500"}`}
      data-testid="my-pass"
      data-state={pass.state}
    >
      <div className="flex items-baseline justify-between gap-2">
        <p className="font-semibold">{pass.name}</p>
        <span className="text-xs">{t(`kinds.${pass.kind}`)}</span>
      </div>
      <p className="mt-1 text-lg font-bold" data-testid="my-pass-left">
        {pass.kind === "visits" && t("visitsLeft", { count: pass.remainingUses ?? 0 })}
        {pass.kind === "value" && t("balance", { amount: formatFen(pass.balanceFen ?? 0) })}
        {pass.kind === "membership" && t("discount", { percent: pass.discountPercent ?? 0 })}
      </p>
      <p className="text-xs">
        {pass.expiresAt ? t("validUntil", { date: formatDateTime(pass.expiresAt, locale, timezone, "date") }) : t("noExpiry")}
        {pass.state !== "active" && ` · ${t(`states.${pass.state}`)}`}
      </p>
    </li>
  );
}
