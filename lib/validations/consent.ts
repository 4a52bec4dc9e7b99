import { z } from "zod";

/** A consent checkbox: ticked ("on", true, "true") or not. */
export const consentField = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
