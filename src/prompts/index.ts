import * as p from '@clack/prompts';
import { CancelledError } from '../errors.js';

export interface PromptIO {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** One prompt for one answer; `validate` returns the error to show, or undefined. (questions.ts decides what to ask.) */
export interface Prompt {
  key: string;
  message: string;
  initial?: string;
  placeholder?: string;
  optional?: boolean;
  validate?: (value: string) => string | undefined;
}

function io(o: PromptIO) {
  return { input: o.input as never, output: o.output as never };
}

/** clack's cancel symbol becomes our one cancellation error; the CLI catches it once. */
function unwrap<T>(value: T): Exclude<T, symbol> {
  if (p.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

/**
 * Asks the questions in order and returns the answers by key. Empty optional answers are "".
 *
 * @example
 *   await ask([{ key: 'port', message: 'Port?', initial: '3000' }], { input, output })
 */
export async function ask(questions: Prompt[], o: PromptIO): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  for (const q of questions) {
    const value = unwrap(
      await p.text({
        message: q.message,
        ...(q.initial !== undefined ? { initialValue: q.initial } : {}),
        ...(q.placeholder !== undefined ? { placeholder: q.placeholder } : {}),
        validate: (v) => {
          const s = (v ?? '').trim();
          if (!s) return q.optional ? undefined : 'required';
          return q.validate?.(s);
        },
        ...io(o),
      }),
    );
    answers[q.key] = (value ?? '').trim();
  }
  return answers;
}

/** One choice of a select or multiselect: its value, label and an optional hint. */
export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

export async function select<T extends string>(message: string, choices: Array<Choice<T>>, o: PromptIO): Promise<T> {
  return unwrap(await p.select<T>({ message, options: choices as never, ...io(o) }));
}

/** Picks any of the choices; picking none is allowed (an empty list). */
export async function multiselect<T extends string>(message: string, choices: Array<Choice<T>>, o: PromptIO): Promise<T[]> {
  return unwrap(await p.multiselect<T>({ message, options: choices as never, required: false, ...io(o) }));
}

/** A line inside the prompt frame: an error to fix (`error`) or plain information. */
export function log(text: string, o: PromptIO, kind: 'info' | 'error' = 'info'): void {
  p.log[kind](text, io(o));
}

export function intro(title: string, o: PromptIO): void {
  p.intro(title, io(o));
}

export function note(text: string, title: string, o: PromptIO): void {
  p.note(text, title, io(o));
}

export function outro(text: string, o: PromptIO): void {
  p.outro(text, io(o));
}
