import { customType } from "drizzle-orm/pg-core";
import { decryptPii, encryptPii, isEncrypted } from "./cipher";

/**
 * Columns whose values are personal data: drizzle encrypts on every write and decrypts on every
 * read, so code reads and writes plaintext and the row holds ciphertext. An encrypted value
 * cannot be compared in SQL (each write has its own IV): exact lookups go through a keyed-hash
 * column beside it (users.phone_hash), never `eq(users.phone, …)`.
 */
export const encryptedText = customType<{ data: string; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => encryptPii(value),
  fromDriver: (value) => decryptPii(value),
});

/** The envelope an encrypted JSON value is stored in: a jsonb object with one key. */
export const ENCRYPTED_JSON_KEY = "pii1";

/** jsonb holding `{"pii1":"<ciphertext of the JSON>"}`; an empty object stays `{}` (nothing personal to hide). */
export const encryptedJson = <T>() =>
  customType<{ data: T; driverData: unknown }>({
    dataType: () => "jsonb",
    toDriver: (value) => {
      const json = JSON.stringify(value);
      return json === "{}" ? json : JSON.stringify({ [ENCRYPTED_JSON_KEY]: encryptPii(json) });
    },
    fromDriver: (value) => decodeEncryptedJson(value) as T,
  });

export function decodeEncryptedJson(value: unknown): unknown {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const sealed = (parsed as Record<string, unknown>)[ENCRYPTED_JSON_KEY];
    if (typeof sealed === "string" && isEncrypted(sealed) && Object.keys(parsed).length === 1) return JSON.parse(decryptPii(sealed));
  }
  return parsed;
}
