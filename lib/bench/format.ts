/** 1234567.8 → "1,234,568": rates are read by magnitude, digits grouped. */
export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

/** Bytes → "123 MiB" (binary units, as RSS is usually read). */
export const formatMiB = (bytes: number): string => `${Math.round(bytes / (1024 * 1024)).toLocaleString("en-US")} MiB`;

/** A ratio as "0.87×". */
export const formatRatio = (ratio: number): string => `${ratio.toFixed(2)}×`;

/** Milliseconds as seconds with two decimals: "1.23 s". */
export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Bytes as "100 B" / "1 KiB" for message sizes. */
export const formatSize = (bytes: number): string => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`);
