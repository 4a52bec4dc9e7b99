import { useTranslations } from "next-intl";
import type { BookingDto } from "@/lib/booking/dto";

const tone: Record<BookingDto["status"], string> = {
  pending_payment: "bg-amber-100 text-amber-800",
  confirmed: "bg-green-100 text-green-800",
  completed: "bg-sky-100 text-sky-800",
  no_show: "bg-red-100 text-red-700",
  expired: "bg-stone-200 text-stone-600",
  cancelled: "bg-stone-200 text-stone-600",
};

/** 待支付 / 已确认 / … as a coloured pill. */
export function StatusBadge({ status }: { status: BookingDto["status"] }) {
  const t = useTranslations("booking.status");
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${tone[status]}`}
      data-testid="booking-status"
      data-status={status}
    >
      {t(status)}
    </span>
  );
}
