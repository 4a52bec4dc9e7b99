import { useTranslations } from "next-intl";
import type { BookingFormState } from "./types";

/** Why a booking or a move was refused, every violated rule listed; `onRefresh` offers fresh slots. */
export function BookingError({ state, onRefresh }: { state: BookingFormState; onRefresh?: () => void }) {
  const t = useTranslations("booking");
  if (!state || state.ok || !state.message) return null;
  return (
    <div role="alert" className="space-y-1 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="booking-error">
      <p className="font-medium">{state.message}</p>
      {state.violations && (
        <ul className="list-inside list-disc">
          {state.violations.map((v) => (
            <li key={v}>{v}</li>
          ))}
        </ul>
      )}
      {onRefresh && (
        <button type="button" onClick={onRefresh} className="text-red-800 underline">
          {t("refreshSlots")}
        </button>
      )}
    </div>
  );
}
