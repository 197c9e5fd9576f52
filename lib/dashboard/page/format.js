// Number, date and duration formats of the page, in the reader's locale.

const numberFormat = new Intl.NumberFormat(undefined);
const compactFormat = new Intl.NumberFormat(undefined, { notation: "compact", maximumSignificantDigits: 3 });
const moneyFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });

/** Formatters; each shows "–" for a missing value. */
export const fmt = {
  int: (n) => (n === null || n === undefined ? "–" : numberFormat.format(n)),
  compact: (n) => (n === null || n === undefined ? "–" : compactFormat.format(n)),
  money: (n) => (n === null || n === undefined ? "–" : moneyFormat.format(n)),
  /** Large amounts shortened (9.2M); small ones exact. */
  moneyShort: (n) => (n === null || n === undefined ? "–" : Math.abs(n) >= 100_000 ? compactFormat.format(n) : moneyFormat.format(n)),
  percent: (r) => (r === null || r === undefined ? "–" : percentFormat.format(r)),
  /** `YYYY-MM-DD` (a UTC date) as e.g. "Sep 24". */
  day: (iso, withYear = false) =>
    new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, {
      month: "short",
      day: "numeric",
      year: withYear ? "numeric" : undefined,
      timeZone: "UTC",
    }),
  time: (ms) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" }),
  minute: (ms) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }),
  dateTime: (ms) => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
  duration: (seconds) => {
    if (seconds === null || seconds === undefined) return "–";
    if (seconds < 1) return "< 1 s";
    if (seconds < 60) return `${Math.round(seconds)} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.floor(seconds % 60)} s`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
    return `${numberFormat.format(Math.floor(seconds / 86400))} d ${Math.floor((seconds % 86400) / 3600)} h`;
  },
};
