import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { users, type NotificationPrefs } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { locales, type Locale, toLocale } from "@/lib/i18n/config";
import { forgetUserTokens } from "@/lib/auth/api-tokens";

export const preferencesSchema = z
  .object({
    email: z.boolean(),
    sms: z.boolean(),
    inApp: z.boolean(),
    locale: z.enum(locales, "chooseLanguage"),
  })
  .refine((p) => p.email || p.sms || p.inApp, {
    message: "chooseChannel",
    path: ["channels"],
  });
export type PreferencesInput = z.infer<typeof preferencesSchema>;

export type Preferences = {
  prefs: NotificationPrefs;
  locale: Locale;
  /** Which channels the user can be reached on at all; a chosen one they lack falls back to another. */
  reachable: { email: boolean; sms: boolean; inApp: true };
};

/** What a settings form shows: the saved values, or what was submitted when it failed validation. */
export type PreferenceValues = { prefs: NotificationPrefs; locale: Locale };

const toPreferences = (u: {
  email: string | null;
  phone: string | null;
  locale: string;
  notificationPrefs: NotificationPrefs;
}): Preferences => ({
  prefs: { email: u.notificationPrefs.email, sms: u.notificationPrefs.sms, inApp: u.notificationPrefs.inApp },
  locale: toLocale(u.locale),
  reachable: { email: Boolean(u.email), sms: Boolean(u.phone), inApp: true },
});

const columns = { email: users.email, phone: users.phone, locale: users.locale, notificationPrefs: users.notificationPrefs };

export async function getPreferences(db: DbOrTx, userId: string): Promise<Preferences> {
  const [u] = await db.select(columns).from(users).where(eq(users.id, userId)).limit(1);
  if (!u) throw new AppError("NOT_FOUND", "userNotFound");
  return toPreferences(u);
}

/**
 * Saves the channels a user wants messages on and the language they are written in. Input is
 * validated here, so every caller (settings page, API) gets the same rules: at least one channel.
 * Messages already in the outbox keep the channel and language they were rendered with.
 */
export async function updatePreferences(db: DbOrTx, userId: string, input: unknown): Promise<Preferences> {
  const parsed = preferencesSchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new AppError("VALIDATION_FAILED", details[0]?.message ?? "Invalid preferences", details);
  }
  const { locale, ...prefs } = parsed.data;
  const [u] = await db.update(users).set({ notificationPrefs: prefs, locale }).where(eq(users.id, userId)).returning(columns);
  if (!u) throw new AppError("NOT_FOUND", "userNotFound");
  // The language is part of the user a cached API token resolves to: forget it once the row is written.
  await forgetUserTokens(db, userId);
  return toPreferences(u);
}

/**
 * The header's language switch, for a signed-in user: the account's language follows, so the
 * messages written from now on (and the settings page) are in the language they read the site in.
 */
export async function saveLocale(db: DbOrTx, userId: string, locale: Locale): Promise<void> {
  const [u] = await db.update(users).set({ locale }).where(eq(users.id, userId)).returning({ id: users.id });
  if (u) await forgetUserTokens(db, userId);
}
