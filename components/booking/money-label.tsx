import { useTranslations } from "next-intl";
import type { MoneyStatus } from "@/lib/booking/money-status";
import { formatFen } from "@/lib/money";

const tone: Record<MoneyStatus["kind"], string> = {
  free: "text-stone-700",
  due: "text-amber-800",
  atDesk: "text-stone-700",
  depositPaid: "text-green-800",
  paid: "text-green-800",
  refunding: "text-amber-800",
  refunded: "text-stone-700",
  unpaid: "text-stone-600",
};

/** 已付定金 ¥50.00（余款 ¥150.00 到店付）/ 待付 ¥50.00 / 退款中 ¥25.00 / 已退款 ¥50.00 / 免费 … */
export function MoneyLabel({
  money,
  currency = "CNY",
  testId = "money-status",
}: {
  money: MoneyStatus;
  currency?: string;
  testId?: string;
}) {
  const t = useTranslations("money");
  const fen = (n: number) => formatFen(n, currency);
  const text =
    money.kind === "free" || money.kind === "unpaid"
      ? t(money.kind)
      : money.kind === "depositPaid"
        ? t("depositPaid", { amount: fen(money.amountFen), rest: fen(money.restFen) })
        : t(money.kind, { amount: fen(money.amountFen) });
  return (
    <span className={`font-medium ${tone[money.kind]}`} data-testid={testId} data-money={money.kind}>
      {text}
    </span>
  );
}
