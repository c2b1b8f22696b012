/**
 * Where a stack's templates are and what they are called, in one place: the stack modules name
 * them, the template loader finds them. `stacks/<stack>/templates/*.Dockerfile.hbs` and
 * `Dockerfile.hbs` are templates (referenced by their path from the package root); every other
 * `.hbs` there is a partial named `stacks/<stack>/<file name without .hbs>`.
 */
import type { StackId, StackPartials } from './types.js';

/** The template file id of `file` in a stack's templates folder, as generators pass it on. */
export function stackTemplate(stack: StackId, file: string): string {
  return `stacks/${stack}/templates/${file}`;
}

/** Dockerfiles are rendered as files; everything else in a stack's templates folder is a partial. */
export function isPartialFile(file: string): boolean {
  return file.endsWith('.hbs') && !/(?:^|\.)Dockerfile\.hbs$/.test(file);
}

/** The partial name of `file` (e.g. "github-test-steps.hbs") in a stack's templates folder. */
export function partialName(stack: string, file: string): string {
  return `stacks/${stack}/${file.replace(/\.hbs$/, '')}`;
}

/** The partials of a stack, one per slot the generic templates leave it (the CI ones only render for a service with a test job). */
export function stackPartials(stack: StackId): StackPartials {
  return {
    githubTestSteps: partialName(stack, 'github-test-steps'),
    gitlabTestVariables: partialName(stack, 'gitlab-test-variables'),
    gitlabTestScript: partialName(stack, 'gitlab-test-script'),
    dockerignore: partialName(stack, 'dockerignore'),
    runbookFiles: partialName(stack, 'runbook-files'),
  };
}
