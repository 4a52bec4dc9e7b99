import { IANAZone } from "luxon";
import type { DateOverrides, TimeRange, WeeklyHours } from "@/db/schema/services";
import { AppError } from "@/lib/errors";

export type SlotSchedule = {
  weeklyHours: WeeklyHours;
  breaks: WeeklyHours;
  dateOverrides: DateOverrides;
  slotIntervalMin: number;
};

export type GenerateSlotsInput = {
  schedule: SlotSchedule;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  capacity: number;
  /** IANA zone of the business, e.g. "Asia/Shanghai". */
  timezone: string;
  /** First local date (business zone), YYYY-MM-DD. */
  from: string;
  /** Number of local dates to generate, starting at `from`. */
  days: number;
  /** When given, slots starting before this instant are left out. */
  now?: Date;
  /** Local dates (YYYY-MM-DD) closed for the whole business: no slot starts on them, whatever the schedule says. */
  closedDates?: readonly string[];
};

export type GeneratedSlot = { startsAt: Date; endsAt: Date; capacity: number };

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const WEEKDAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const invalid = (message: string): AppError => new AppError("VALIDATION_FAILED", message);

export function zoneOf(timezone: string): IANAZone {
  const zone = IANAZone.create(timezone);
  if (!zone.isValid) throw invalid(`Unknown time zone "${timezone}"`);
  return zone;
}

/** UTC midnight of a YYYY-MM-DD string, used as the key of a local calendar date (UTC days have no DST). */
export function parseLocalDate(date: string): number {
  const m = DATE_RE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== date) throw invalid(`Invalid date "${date}", expected YYYY-MM-DD`);
  return ms;
}

function minutesOf(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw invalid(`Invalid time "${time}", expected HH:mm (00:00-24:00)`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** A range as minutes after local midnight; an end at or before the start continues into the next day. */
function rangeMinutes(range: TimeRange): [number, number] {
  const start = minutesOf(range.start);
  let end = minutesOf(range.end);
  if (start === 1440) throw invalid(`Range may not start at 24:00`);
  if (end <= start) end += 1440;
  return [start, end];
}

/**
 * The instant at which the wall clock shows `wallMs` (a local time encoded as if it were UTC).
 * Ambiguous wall times (fall back) resolve to the earlier instant; a nonexistent one (spring
 * forward) gives null.
 */
export function wallToInstant(zone: IANAZone, wallMs: number): number | null {
  const offsets = new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)]);
  let best: number | null = null;
  for (const offset of offsets) {
    const ts = wallMs - offset * MIN_MS;
    if (zone.offset(ts) === offset && (best === null || ts < best)) best = ts;
  }
  return best;
}

/** Like wallToInstant, but a range boundary inside a spring-forward gap moves forward by the gap (02:30 → 03:30). */
function boundaryInstant(zone: IANAZone, wallMs: number): number {
  return wallToInstant(zone, wallMs) ?? wallMs - zone.offset(wallMs - DAY_MS) * MIN_MS;
}

function positiveInt(name: string, value: number, allowZero = false): void {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw invalid(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got ${value}`);
  }
}

/**
 * Timeslots for `days` local dates from `from`, in the business zone. Each weekday's ranges (or
 * the date's override, which replaces both hours and breaks for that date; [] closes it) are
 * stepped by `slotIntervalMin` on the local wall clock from each range start; a business holiday
 * (`closedDates`) beats both. A slot is kept when
 * [start - bufferBefore, end + bufferAfter] lies inside its range and overlaps no break. The
 * result is sorted, free of duplicate starts and a pure function of the input, so regeneration
 * meets the unique (service_id, starts_at) index with the same instants.
 */
/** The slots of a service: its duration, buffers and capacity, with the rest of the input. */
export function serviceSlots(
  service: Pick<GenerateSlotsInput, "durationMin" | "bufferBeforeMin" | "bufferAfterMin" | "capacity">,
  input: Omit<GenerateSlotsInput, "durationMin" | "bufferBeforeMin" | "bufferAfterMin" | "capacity">,
): GeneratedSlot[] {
  const { durationMin, bufferBeforeMin, bufferAfterMin, capacity } = service;
  return generateSlots({ ...input, durationMin, bufferBeforeMin, bufferAfterMin, capacity });
}

export function generateSlots(input: GenerateSlotsInput): GeneratedSlot[] {
  const { schedule, durationMin, bufferBeforeMin, bufferAfterMin, capacity, days } = input;
  positiveInt("durationMin", durationMin);
  positiveInt("slotIntervalMin", schedule.slotIntervalMin);
  positiveInt("capacity", capacity);
  positiveInt("bufferBeforeMin", bufferBeforeMin, true);
  positiveInt("bufferAfterMin", bufferAfterMin, true);
  positiveInt("days", days, true);
  if (days > 366) throw invalid(`days must be at most 366, got ${days}`);
  const zone = zoneOf(input.timezone);
  const first = parseLocalDate(input.from);

  const dayKey = (dayMs: number) => new Date(dayMs).toISOString().slice(0, 10);
  const weekday = (dayMs: number) => WEEKDAY_KEYS[new Date(dayMs).getUTCDay()] ?? "mon";
  const toIntervals = (dayMs: number, ranges: TimeRange[]) =>
    ranges.map((r) => {
      const [s, e] = rangeMinutes(r);
      return [boundaryInstant(zone, dayMs + s * MIN_MS), boundaryInstant(zone, dayMs + e * MIN_MS)] as const;
    });
  const breaksOn = (dayMs: number) =>
    toIntervals(dayMs, dayKey(dayMs) in schedule.dateOverrides ? [] : (schedule.breaks[weekday(dayMs)] ?? []));

  const out = new Map<number, GeneratedSlot>();
  const closed = new Set(input.closedDates ?? []);
  const notBefore = input.now?.getTime() ?? Number.NEGATIVE_INFINITY;
  const durMs = durationMin * MIN_MS;
  for (let i = 0; i < days; i++) {
    const dayMs = first + i * DAY_MS;
    if (closed.has(dayKey(dayMs))) continue;
    const ranges = schedule.dateOverrides[dayKey(dayMs)] ?? schedule.weeklyHours[weekday(dayMs)] ?? [];
    if (ranges.length === 0) continue;
    const breaks = [dayMs - DAY_MS, dayMs, dayMs + DAY_MS].flatMap(breaksOn);
    for (const range of ranges) {
      const [startMin, endMin] = rangeMinutes(range);
      const open = boundaryInstant(zone, dayMs + startMin * MIN_MS);
      const close = boundaryInstant(zone, dayMs + endMin * MIN_MS);
      for (let m = startMin; m < endMin; m += schedule.slotIntervalMin) {
        const start = wallToInstant(zone, dayMs + m * MIN_MS);
        if (start === null || start < notBefore) continue;
        const blockStart = start - bufferBeforeMin * MIN_MS;
        const blockEnd = start + durMs + bufferAfterMin * MIN_MS;
        if (blockStart < open || blockEnd > close) continue;
        if (breaks.some(([bs, be]) => blockStart < be && bs < blockEnd)) continue;
        out.set(start, { startsAt: new Date(start), endsAt: new Date(start + durMs), capacity });
      }
    }
  }
  return [...out.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
