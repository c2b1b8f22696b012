/**
 * One thing detection learned, with the evidence that decided it, so the CLI can show the user
 * why before anything is written. Its own module so stack folders can use it without importing
 * the union of every stack's facts (src/detect/types.ts), which imports them.
 */
export interface Fact<T> {
  value: T;
  /** Human-readable reason, e.g. "package-lock.json present" or "src/server.js:12 app.listen(PORT || 3000)". */
  evidence: string;
}
