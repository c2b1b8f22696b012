/**
 * The question engine: every answer comes from its flag; else, with no person to ask, from
 * detection (or a default); else from a prompt when there is a terminal; else the command
 * stops and lists the flags to pass (exit 2). It imports no prompt library: the caller passes
 * the prompts in when a person can answer, so a run without a terminal never loads them.
 */
import { UsageError } from '../errors.js';
import type { Prompt } from './index.js';

export interface Question {
  /** Answer key, e.g. `name` or `web.port`. */
  key: string;
  /** The flag that answers it, as the user types it: `--port`, or `--port web=` with several services. */
  flag: string;
  /** The prompt's text; lowercased, it also names the value in notes and in the exit-2 example. */
  label: string;
  /** The value from the flag, when given (already checked). */
  given?: string | undefined;
  /** What detection found, with its evidence: taken without a person to ask, offered as the prompt's initial value. */
  detected?: { value: string; evidence: string } | undefined;
  /** Taken without a person to ask when detection found nothing, silently: a safe guess (the project name). */
  default?: string | undefined;
  /** Taken with --yes when detection found nothing, with a note, since it may be wrong (a worker has no port). */
  fallback?: string | undefined;
  /** What taking the fallback means, for the note ("using <fallback>" when absent). */
  fallbackMeans?: string | undefined;
  /** Asked at a prompt (an empty answer allowed) but never required: unanswered, it is left out. */
  optional?: boolean;
  /** How the example in the exit-2 hint names the value; the label by default. */
  placeholder?: string;
  validate?: (value: string) => string | undefined;
}

export interface Asking {
  /** The prompts, when a person can answer (a terminal, and no --yes). */
  ask?: ((prompts: Prompt[]) => Promise<Record<string, string>>) | undefined;
  /** --yes: take the fallbacks. */
  yes: boolean;
  /** The command line the exit-2 hint repeats, e.g. `deploy-kit init` or `npm create deploy-kit --`. */
  invocation: string;
  /** The exit-2 message, given the flags still missing (comma-separated). */
  missing: (flags: string) => string;
  /** Where the --yes notes go. */
  note: (text: string) => void;
}

const flagWith = (q: Question, value: string) => `${q.flag}${q.flag.endsWith('=') ? '' : ' '}${value}`;

/**
 * Answers the questions, in their order. Returns the answers by key; an optional question
 * nobody answered has no key.
 *
 * @example
 *   await answer([{ key: 'port', flag: '--port', label: 'Port', fallback: '3000' }], { yes: true, ... }) // { port: '3000' }
 */
/** Where a settled answer came from, as the review screen shows it. */
export type Source = { kind: 'flag' | 'detected' | 'default' | 'fallback'; evidence: string };

/**
 * The answers without asking anyone, as --yes takes them (with `yes`; without, fallbacks are
 * not taken): a flag, else detection, else a default, else the fallback. Returns the answers
 * with their sources, and the questions left without one (optional ones are never missing).
 */
export function settle(questions: Question[], yes: boolean): { answers: Record<string, string>; sources: Record<string, Source>; missing: Question[] } {
  const answers: Record<string, string> = {};
  const sources: Record<string, Source> = {};
  const missing: Question[] = [];
  const take = (q: Question, value: string, source: Source) => {
    answers[q.key] = value;
    sources[q.key] = source;
  };
  for (const q of questions) {
    if (q.given !== undefined) take(q, q.given, { kind: 'flag', evidence: q.flag.replace(/ .*$/, '') });
    else if (q.optional) continue;
    else if (q.detected && !q.validate?.(q.detected.value)) take(q, q.detected.value, { kind: 'detected', evidence: q.detected.evidence });
    else if (q.default !== undefined) take(q, q.default, { kind: 'default', evidence: 'default' });
    else if (yes && q.fallback !== undefined) take(q, q.fallback, { kind: 'fallback', evidence: 'not found in the code; a guess' });
    else missing.push(q);
  }
  return { answers, sources, missing };
}

export async function answer(questions: Question[], how: Asking): Promise<Record<string, string>> {
  if (!how.ask) {
    const { answers, sources, missing } = settle(questions, how.yes);
    for (const q of questions) {
      if (sources[q.key]?.kind !== 'fallback') continue;
      const using = q.fallbackMeans ?? `using ${q.fallback}`;
      how.note(`note: ${q.label.toLowerCase()} not found in the code; ${using} (${flagWith(q, '<value>')} to change it)`);
    }
    if (missing.length > 0) throw missingAnswers(missing, how);
    return answers;
  }
  const answers: Record<string, string> = {};
  const toAsk: Question[] = [];
  for (const q of questions) {
    if (q.given !== undefined) answers[q.key] = q.given;
    else toAsk.push(q);
  }
  if (toAsk.length > 0) {
    const asked = await how.ask(toAsk.map((q) => promptFor(q)));
    for (const q of toAsk) if (asked[q.key] !== undefined && (asked[q.key] !== '' || !q.optional)) answers[q.key] = asked[q.key]!;
  }
  return answers;
}

/** The prompt for a question, offering `current` (else what detection found, a default or the fallback). */
export function promptFor(q: Question, current?: string): Prompt {
  const initial = current ?? q.detected?.value ?? q.default ?? q.fallback;
  return {
    key: q.key,
    message: q.label,
    ...(q.optional ? { optional: true, ...(current ? { initial: current } : {}) } : initial !== undefined ? { initial } : {}),
    ...(q.validate ? { validate: q.validate } : {}),
  };
}

/** The exit-2 error: which flags to pass, with an example; --yes when it would take some of them. */
function missingAnswers(missing: Question[], how: Asking): UsageError {
  const example = (q: Question) => flagWith(q, `<${(q.placeholder ?? q.label).replace(/ of ".*"$/, '').toLowerCase()}>`);
  const yesFills = how.yes ? [] : missing.filter((q) => q.fallback !== undefined);
  const still = missing.filter((q) => !yesFills.includes(q));
  const hint =
    yesFills.length === 0
      ? `pass them as flags, e.g. ${how.invocation} ${missing.map(example).join(' ')}`
      : `pass them as flags, e.g. ${how.invocation} ${missing.map(example).join(' ')}\n` +
        `or take the defaults for ${yesFills.map((q) => q.flag).join(', ')} with --yes: ${how.invocation} --yes${still.map((q) => ` ${example(q)}`).join('')}`;
  return new UsageError(how.missing(missing.map((q) => q.flag).join(', ')), hint);
}
