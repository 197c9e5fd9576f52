/** Short human numbers for progress lines and summaries (SI units: 1 MB = 1,000,000 bytes). */

/** 999 → "999", 12_345 → "12.3k", 1_234_567 → "1.2M", 3.4e9 → "3.4G". */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 999_950) return `${(n / 1e3).toFixed(1)}k`;
  if (a < 999_950_000) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** 1_000_000 → "1,000,000": exact counts in summaries. */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** 512 → "512 B", 34_500_000 → "34.5 MB". */
export function formatBytes(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return `${Math.round(n)} B`;
  if (a < 999_950) return `${(n / 1e3).toFixed(1)} kB`;
  if (a < 999_950_000) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** 12.34 → "12.3 s", 245 → "4 min 05 s", 7384 → "2 h 03 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** 512_345 → "512.3k rows/s"; bytes → "61.2 MB/s". */
export function formatRate(perSecond: number, unit: string): string {
  return unit === "bytes" ? `${formatBytes(perSecond)}/s` : `${formatCount(perSecond)} ${unit}/s`;
}
