"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { parseInput, runAction, type ActionResult } from "@/lib/actions";
import { bookSeries, type RefusedOccurrence } from "@/lib/booking/book-series";
import { cancelSeries } from "@/lib/booking/cancel-series";
import { answersFromFormData, parseFieldDefinitions } from "@/lib/booking/fields";
import { loadSlotContext } from "@/lib/booking/context";
import { previewSeries, type Occurrence } from "@/lib/booking/preview-series";
import { clientIp, limitBooking } from "@/lib/rate-limit";
import { bookSeriesSchema, previewSeriesSchema } from "@/lib/validations/series";
import { FIELD_PREFIX } from "./types";

export type SeriesPreviewState = ActionResult<{ occurrences: Occurrence[] }>;
export type BookSeriesState = ActionResult<{ seriesId: string; payable: boolean }> & { refused?: RefusedOccurrence[] };

/** Each week of the series with whether it can be booked (a hint: the confirmation decides). */
export async function previewSeriesAction(input: { timeslotId: string; count: number }): Promise<SeriesPreviewState> {
  return runAction<SeriesPreviewState, "user">({ auth: "user" }, async (user, locale) => {
    const body = parseInput(previewSeriesSchema, input);
    const { occurrences } = await previewSeries(getDb(), { customerId: user.id, ...body, locale });
    return { ok: true, data: { occurrences } };
  });
}

/** Books the checked weeks all or nothing; a week lost meanwhile comes back in `refused`. */
export async function bookSeriesAction(_prev: BookSeriesState | null, formData: FormData): Promise<BookSeriesState> {
  return runAction<BookSeriesState, "user">(
    {
      auth: "user",
      onError: (e) => {
        const list = (e.details as { occurrences?: RefusedOccurrence[] } | undefined)?.occurrences;
        return list ? { refused: list } : undefined;
      },
    },
    async (user, locale) => {
      const raw = formData instanceof FormData ? formData : new FormData();
      const timeslotId = z.uuid().safeParse(raw.get("timeslotId"));
      const ctx = timeslotId.success ? await loadSlotContext(getDb(), timeslotId.data) : null;
      const body = parseInput(bookSeriesSchema, {
        timeslotId: raw.get("timeslotId"),
        count: raw.get("count"),
        skip: raw.getAll("skip"),
        fields: ctx ? answersFromFormData(raw, parseFieldDefinitions(ctx.service.fields), FIELD_PREFIX) : {},
      });
      const h = await headers();
      const made = await limitBooking(user.id, clientIp(h), () => bookSeries({ customerId: user.id, ...body, locale }));
      revalidatePath("/me");
      return { ok: true, data: { seriesId: made.series.id, payable: made.bookings.some((b) => b.status === "pending_payment") } };
    },
  );
}

/** Cancels the weeks still ahead, each refunded by the policy. */
export async function cancelSeriesAction(seriesId: string): Promise<ActionResult<{ cancelled: number; kept: number }>> {
  return runAction<ActionResult<{ cancelled: number; kept: number }>, "user">({ auth: "user" }, async (user) => {
    const id = parseInput(z.uuid(), seriesId);
    const result = await cancelSeries({ seriesId: id, actor: { id: user.id, role: user.role } });
    revalidatePath(`/series/${id}`);
    revalidatePath("/me");
    return { ok: true, data: { cancelled: result.cancelled.length, kept: result.kept.length } };
  });
}
