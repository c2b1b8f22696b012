/**
 * Every error deploy-kit raises on purpose. The CLI turns a DeployKitError into its message and
 * its exitCode (no stack trace unless --verbose); anything else is a bug and is reported as one.
 * Callers tell errors apart with `instanceof`, never by comparing `name` strings.
 *
 * @example
 *   throw new ConfigError('deploy-kit.yaml', issues);       // exit 1, one line per problem
 *   throw new UsageError('unknown flag --prot', 'did you mean --port?'); // exit 2
 */
export abstract class DeployKitError extends Error {
  /** The process exit code this error ends the command with. */
  abstract readonly exitCode: number;

  constructor(
    message: string,
    /** A next step for the user, printed on its own line after the message. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, a missing required answer, an unknown command: exit 2. */
export class UsageError extends DeployKitError {
  readonly exitCode = 2;
}

/** The user pressed Ctrl-C (or Esc) at a prompt: nothing was written. Exit 130, as a shell reports SIGINT. */
export class CancelledError extends DeployKitError {
  readonly exitCode = 130;
  constructor() {
    super('cancelled; nothing was written');
  }
}

/** A failure the user can fix, the message saying how: exit 1. */
export class UserError extends DeployKitError {
  readonly exitCode = 1;
}

/** deploy-kit.yaml asks for what deploy-kit cannot generate (a generator's check() refused it). */
export class RefusalError extends UserError {
  constructor(readonly problems: string[]) {
    super(`deploy-kit.yaml asks for what deploy-kit cannot generate:\n${problems.map((p) => `  ${p}`).join('\n')}\nNothing was written.`);
  }
}

/** The kit would write an image that cannot build or never turns healthy (src/doctor/buildable.ts). */
export class BuildabilityError extends UserError {
  constructor(readonly problems: string[]) {
    super(
      `the kit's image would not build or pass its health check:\n${problems.map((p) => `  ${p}`).join('\n')}\n` +
        'Nothing was written. Fix the repository (or deploy-kit.yaml) as each line says, then run the command again.',
    );
  }
}

/** A write would leave the repository or replace a file the user owns. */
export class ConflictError extends UserError {}

/** deploy-kit's own state (.deploy-kit/) is damaged or cannot be repaired automatically. */
export class CorruptStateError extends UserError {}
