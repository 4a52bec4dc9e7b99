"use server";

import { formValue } from "@/lib/actions";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { markAllRead, markRead, unreadCount } from "@/lib/notifications/inbox";

async function sessionUserId(): Promise<string> {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin?callbackUrl=%2Fme%2Finbox");
  return session.user.id;
}

/** Marks one of the signed-in user's messages read; the header badge is part of the refreshed layout. */
export async function markReadAction(formData: FormData): Promise<void> {
  const userId = await sessionUserId();
  const id = z.uuid().safeParse(formValue(formData, "id"));
  if (id.success) {
    try {
      await markRead(getDb(), userId, id.data);
    } catch (e) {
      // Someone else's or a vanished id: nothing to mark, the refreshed list shows the truth.
      if (!isAppError(e) || e.code !== "NOT_FOUND") throw e;
    }
  }
  revalidatePath("/", "layout");
}

export async function markAllReadAction(): Promise<void> {
  await markAllRead(getDb(), await sessionUserId());
  revalidatePath("/", "layout");
}

/** The signed-in user's unread count, for the header badge after a client navigation (0 when signed out). */
export async function unreadCountAction(): Promise<number> {
  const session = await auth();
  if (!session?.user?.id) return 0;
  return unreadCount(getDb(), session.user.id);
}
