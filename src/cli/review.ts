/**
 * Interactive init, in the style of create-astro: what detection found is taken as --yes takes
 * it, and shown on one screen with where each value came from; the person confirms it once
 * ("Looks right?") or edits only the values they pick. Then a preview of the targets and files
 * to be written, with a way back before anything is written. Only what nothing answered (no
 * flag, no detection, no default) is asked up front. Accepting everything as shown gives the
 * same answers as --yes.
 */
import { UsageError, UserError } from '../errors.js';
import type { PromptIO } from '../prompts/index.js';
import { promptFor, settle, type Question, type Source } from '../prompts/questions.js';

type Prompts = typeof import('../prompts/index.js');

export interface Review<T> {
  prompts: Prompts;
  io: PromptIO;
  questions: Question[];
  /** What the answers make (the config); a usage or user error (a bad combination) sends the person back to edit. */
  build: (answers: Record<string, string>) => Promise<T>;
  /** The preview of what `build` made: the targets and the files to be written (none: no preview step). */
  preview?: ((built: T) => Promise<string>) | undefined;
}

type Answered = { answers: Record<string, string>; sources: Record<string, Source | { kind: 'answered'; evidence: string }> };

/** Where a value came from, in a word or two: the evidence itself is on the Detected screen above. */
const FROM: Record<string, string> = { flag: 'flag', detected: 'detected', default: 'default', fallback: 'not found: a guess', answered: 'your answer' };

/** The review screen: each value, and where it came from. */
function settingsTable(questions: Question[], { answers, sources }: Answered): string {
  const label = (q: Question) => q.label.replace(/ \(.*\)$/, '');
  const width = Math.max(...questions.map((q) => label(q).length));
  const valueWidth = Math.max(...questions.map((q) => (answers[q.key] ?? 'none').length));
  return questions
    .map((q) => {
      const value = answers[q.key];
      const source = sources[q.key];
      const from = value === undefined || !source ? '' : source.kind === 'flag' ? source.evidence : FROM[source.kind];
      return `${label(q).padEnd(width)}  ${(value ?? 'none').padEnd(valueWidth)}  ${from}`.trimEnd();
    })
    .join('\n');
}

async function ask<T>(r: Review<T>, state: Answered, picked: Question[]): Promise<void> {
  if (picked.length === 0) return;
  const asked = await r.prompts.ask(
    picked.map((q) => promptFor(q, state.answers[q.key])),
    r.io,
  );
  for (const q of picked) {
    const v = asked[q.key];
    if (v === undefined || (v === '' && q.optional)) {
      delete state.answers[q.key];
      delete state.sources[q.key];
    } else {
      state.answers[q.key] = v;
      state.sources[q.key] = { kind: 'answered', evidence: 'your answer' };
    }
  }
}

/** Runs the review; returns what `build` made from the answers the person accepted. */
export async function review<T>(r: Review<T>): Promise<T> {
  const { answers, sources, missing } = settle(r.questions, true);
  const state: Answered = { answers, sources };
  if (missing.length > 0) {
    r.prompts.log(`Detection could not find ${missing.length === 1 ? 'this' : 'these'}; please answer:`, r.io);
    await ask(r, state, missing);
  }
  for (;;) {
    r.prompts.note(settingsTable(r.questions, state), 'Your kit', r.io);
    const choice = await r.prompts.select(
      'Looks right?',
      [
        { value: 'yes', label: 'Yes, show the files it writes' },
        { value: 'edit', label: 'Edit some of these' },
      ],
      r.io,
    );
    if (choice === 'edit') {
      const keys = await r.prompts.multiselect(
        'Which do you want to change? (space to pick, enter to go on)',
        r.questions.map((q) => ({ value: q.key, label: q.label, hint: state.answers[q.key] ?? 'none' })),
        r.io,
      );
      await ask(r, state, r.questions.filter((q) => keys.includes(q.key)));
      continue;
    }
    let built: T;
    try {
      built = await r.build({ ...state.answers });
    } catch (e) {
      // A bad combination of answers (e.g. equal branches, a start command on another port): fix it here.
      if (!(e instanceof UsageError || e instanceof UserError)) throw e;
      r.prompts.log(e.hint ? `${e.message}\n${e.hint}` : e.message, r.io, 'error');
      continue;
    }
    if (!r.preview) return built;
    r.prompts.note(await r.preview(built), 'Will write', r.io);
    const go = await r.prompts.select(
      'Write these files?',
      [
        { value: 'write', label: 'Yes, write them' },
        { value: 'back', label: 'Go back and edit' },
      ],
      r.io,
    );
    if (go === 'write') return built;
  }
}
