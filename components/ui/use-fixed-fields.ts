"use client";

import { useState, type FormEvent } from "react";

/**
 * Hides a field's server error once the person edits that field, until the next answer: an error
 * that stays on screen after the field is fixed reads as "still wrong". Put `onChange` on the form
 * (change events bubble from every input) and ask `shown(name, errors)` for each field's errors.
 */
export function useFixedFields(state: unknown) {
  const [edited, setEdited] = useState<{ answer: unknown; names: ReadonlySet<string> }>({ answer: state, names: new Set() });
  const names = edited.answer === state ? edited.names : new Set<string>();
  return {
    onChange(e: FormEvent<HTMLFormElement>) {
      const name = (e.target as HTMLInputElement).name;
      if (!name || names.has(name)) return;
      setEdited({ answer: state, names: new Set([...names, name]) });
    },
    shown(name: string, errors: string[] | undefined): string[] | undefined {
      return names.has(name) ? undefined : errors;
    },
  };
}
