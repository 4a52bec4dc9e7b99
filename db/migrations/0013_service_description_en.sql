-- English description of a service, shown when the reader's language is English (NULL: the Chinese one).
ALTER TABLE "services" ADD COLUMN IF NOT EXISTS "description_en" text;
