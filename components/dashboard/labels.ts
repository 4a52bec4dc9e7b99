import "server-only";
import { getTranslations } from "next-intl/server";

/** Labels the server-rendered booking lists need (status names, seat counts), in the reader's language. */
export async function listLabels() {
  const t = await getTranslations("dash");
  const statuses = ["pending_payment", "confirmed", "completed", "no_show", "expired", "cancelled"] as const;
  return {
    status: Object.fromEntries(statuses.map((s) => [s, t(`status.${s}`)])) as Record<string, string>,
    checkedIn: t("checkedIn"),
    empty: t("empty"),
    seats: (n: number) => t("seats", { count: n }),
  };
}
