/**
 * Orders strings by UTF-16 code unit, the same on every machine. `localeCompare` follows the
 * user's locale (LANG): under da_DK `AA_TOKEN` sorts after `ZONE` (as Å), under lt_LT `Y` before
 * `J`, so two people regenerating one kit would reorder its files. It also loads ICU's collator,
 * a few milliseconds of every run's start-up.
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
