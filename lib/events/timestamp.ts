/**
 * event_time parsing: text → UTC microseconds since the Unix epoch (what Avro
 * `timestamp-micros` and BigQuery TIMESTAMP hold).
 */

/** Accepted range, 1970-01-01 ≤ t < 2100-01-01: anything else is a broken clock, and it keeps
 * microseconds exact in a JS number (2^53 µs is the year 2255). */
export const MIN_EVENT_TIME = 0;
export const MAX_EVENT_TIME = Date.UTC(2100, 0, 1) * 1000;

/** How the validator describes an accepted event_time. */
export const EVENT_TIME_FORMATS = '"YYYY-MM-DD HH:MM:SS UTC" or ISO-8601 with a zone (2020-09-24T11:57:06Z, …06.123456Z, …06+00:00)';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (DAYS_IN_MONTH[m - 1] as number) + (leap ? 1 : 0);
}

/** Two ASCII digits at `i`, or NaN. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

function micros(y: number, mo: number, d: number, h: number, mi: number, sec: number): number {
  if (!validDate(y, mo, d) || !(h < 24) || !(mi < 60) || !(sec < 60)) return NaN;
  return (daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec) * 1_000_000;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ?(?:UTC|Z)|([+-])(\d{2})(?::?(\d{2}))?)$/i;

/**
 * Parses `2020-09-24 11:57:06 UTC` (the datasets' format, on a fast path with no regex and no
 * allocation) or ISO-8601 with a zone: `2020-09-24T11:57:06Z`, `…06.123456Z`, `…06+00:00`,
 * `…06-0530`, `2020-09-24 11:57:06.5 UTC`. Fractions beyond microseconds are truncated. A time
 * without a zone is refused: guessing one would shift events by hours silently. Returns UTC
 * microseconds since the epoch, or NaN when the text is not such a time (or not a real date).
 */
export function parseEventTime(s: string): number {
  if (s.length === 23 && s.charCodeAt(10) === 32 && s.endsWith(" UTC") && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    const y = two(s, 0) * 100 + two(s, 2);
    return micros(y, two(s, 5), two(s, 8), two(s, 11), two(s, 14), two(s, 17));
  }
  const m = ISO.exec(s);
  if (m === null) return NaN;
  let t = micros(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (m[7] !== undefined) t += Number(m[7].padEnd(9, "0").slice(0, 6));
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = m[10] === undefined ? 0 : Number(m[10]);
    if (oh > 23 || om > 59) return NaN;
    // 11:57+03:00 is 08:57 UTC.
    t += (m[8] === "+" ? -1 : 1) * (oh * 3600 + om * 60) * 1_000_000;
  }
  return t;
}

/** Formats microseconds as the datasets do, `2020-09-24 11:57:06 UTC` (fraction dropped). */
export function formatEventTime(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19).replace("T", " ") + " UTC";
}
