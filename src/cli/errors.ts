/** Bad flags or a missing required answer: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The user pressed Ctrl-C (or Esc) at a prompt: exit 1, nothing written. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('cancelled; nothing was written');
  }
}

/** A failure the user can fix, with the message already saying how: exit 1, no stack trace. */
export class UserError extends Error {
  override name = 'UserError';
}
