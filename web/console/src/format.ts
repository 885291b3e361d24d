// How values read on screen: times in South African time, durations as
// people say them, enum values as words.
import type { DescEnum } from "@bufbuild/protobuf";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

const tz = "Africa/Johannesburg";
const dateTime = new Intl.DateTimeFormat("en-ZA", { dateStyle: "medium", timeStyle: "short", timeZone: tz });
const dateOnly = new Intl.DateTimeFormat("en-ZA", { dateStyle: "medium", timeZone: tz });

export const toDate = (t: Timestamp | undefined): Date | undefined => (t ? timestampDate(t) : undefined);
export const when = (t: Timestamp | undefined): string => (t ? dateTime.format(timestampDate(t)) : "—");
export const day = (d: Date): string => dateOnly.format(d);

/** A duration in words: "2 d 4 h", "3 h 12 min", "45 s"; negative durations say "overdue". */
export function span(ms: number): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const txt = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min ${s} s` : m > 0 ? `${m} min ${s} s` : `${s} s`;
  return neg ? `${txt} overdue` : txt;
}

/** An enum value as words, from its proto name: CATEGORY_WATER -> "Water". */
export function label(e: DescEnum, v: number): string {
  const name = e.values.find((x) => x.number === v)?.localName ?? String(v);
  const words = name.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The enum values of e except UNSPECIFIED, for selects. */
export function options(e: DescEnum): Array<{ value: number; name: string; label: string }> {
  return e.values.filter((x) => x.number !== 0).map((x) => ({ value: x.number, name: x.name, label: label(e, x.number) }));
}

/** The JSON name of an enum value (CATEGORY_WATER), as in URLs. */
export const enumName = (e: DescEnum, v: number) => e.values.find((x) => x.number === v)?.name ?? "";
/** The enum value of a JSON name, or undefined. */
export const enumValue = (e: DescEnum, name: string) => e.values.find((x) => x.name === name)?.number;
