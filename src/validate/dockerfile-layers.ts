/**
 * The cache rule of Dockerfiles: dependency manifests are copied and installed before the source,
 * so an edit to the code reuses the install layer. Also the stage model the other rules share.
 */
import { From, Instruction, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import type { Finding } from './types.js';

export const MANIFESTS_BEFORE_SOURCE = 'dockerfile/manifests-before-source';

export interface Stage {
  from: From;
  /** Lower-cased `AS name`, when given. */
  name: string | undefined;
  /** Instructions after the FROM, up to the next FROM. */
  body: Instruction[];
}

export type Add = (rule: string, instruction: Instruction | undefined, message: string, fix: string, severity?: Finding['severity']) => void;

/** Package installs that should run against the manifests alone, before the source is copied. */
const INSTALL_COMMAND = new RegExp(
  String.raw`\b(?:npm\s+(?:ci|install|i)\b|pnpm\s+(?:install|i)\b|yarn\s+install\b|bun\s+install\b|pip3?\s+install\b|uv\s+sync\b|` +
    String.raw`uv\s+pip\s+install\b|poetry\s+install\b|pipenv\s+(?:install|sync)\b|go\s+mod\s+download\b|` +
    String.raw`mvnw?\b[^&;|]*\sdependency:(?:go-offline|resolve)\b|dotnet\s+restore\b)`,
);

/** Files whose contents decide what the install step installs. */
const MANIFEST_FILE = new RegExp(
  String.raw`(?:^|\/)(?:package(?:-lock)?\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|pnpm-workspace\.yaml|yarn\.lock|\.yarnrc\.yml|bun\.lockb?|` +
    String.raw`requirements[^/]*\.(?:txt|in)|pyproject\.toml|uv\.lock|poetry\.lock|Pipfile(?:\.lock)?|setup\.(?:py|cfg)|go\.(?:mod|sum)|package\*\.json|` +
    String.raw`pom\.xml|[^/]*\.(?:cs|fs)proj|[^/]*\.slnx?|packages\.lock\.json|Directory\.Packages\.props)$`,
);

function flagValue(instruction: Instruction, name: string): string | null | undefined {
  const flags = instruction instanceof ModifiableInstruction ? instruction.getFlags() : [];
  return flags.find((f) => f.getName() === name)?.getValue();
}

/** COPY/ADD sources (arguments minus the destination), for the shell form; JSON form handled too. */
export function copySources(instruction: Instruction): string[] {
  let args: string[];
  if (instruction instanceof JSONInstruction && instruction.getOpeningBracket()) {
    args = instruction.getJSONStrings().map((s) => s.getValue().replace(/^"|"$/g, ''));
  } else {
    args = instruction.getArguments().map((a) => a.getValue());
  }
  return args.slice(0, -1);
}

function isWholeContextCopy(instruction: Instruction): boolean {
  const keyword = instruction.getKeyword();
  if (keyword !== 'COPY' && keyword !== 'ADD') return false;
  if (flagValue(instruction, 'from') !== undefined) return false;
  const sources = copySources(instruction);
  return sources.some((s) => s === '.' || s === './' || s === '*' || s === './*');
}

/**
 * A stage that copies the context and then deletes every file but the dependency manifests
 * (`find . -type f ! -name package.json ... -delete`), the way `turbo prune --docker` does for a
 * workspace, or copies only the manifests out of it into a skeleton (`find . -name pom.xml ...
 * | ... cp`): copying from it is copying manifests, and its content changes only with them.
 */
export function isManifestsStage(stage: Stage): boolean {
  return stage.body.some((i) => {
    if (i.getKeyword() !== 'RUN') return false;
    const text = runText(i);
    if (!/\bfind\b/.test(text)) return false;
    const kept = [...text.matchAll(/!\s+-name\s+['"]?([^\s'"]+)/g)].map((m) => m[1] ?? '');
    if (/-delete\b/.test(text)) return kept.some((k) => MANIFEST_FILE.test(k));
    const selected = [...text.matchAll(/(?<!!\s+)-name\s+['"]?([^\s'"]+)/g)].map((m) => m[1] ?? '');
    return /\bcp\b/.test(text) && selected.some((k) => MANIFEST_FILE.test(k));
  });
}

function copiesManifest(instruction: Instruction, manifestStages: ReadonlySet<string>): boolean {
  const keyword = instruction.getKeyword();
  if (keyword === 'COPY' || keyword === 'ADD') {
    const from = flagValue(instruction, 'from');
    if (from !== undefined) return from !== null && manifestStages.has(from.toLowerCase());
    return copySources(instruction).some((s) => MANIFEST_FILE.test(s));
  }
  if (keyword === 'RUN') {
    // RUN --mount=type=bind,source=package.json,... installs from the manifest without a COPY.
    const flags = instruction instanceof ModifiableInstruction ? instruction.getFlags() : [];
    return flags.some((f) => {
      const value = f.getValue() ?? '';
      const source = /(?:^|,)(?:source|src)=([^,]+)/.exec(value)?.[1];
      return f.getName() === 'mount' && /(?:^|,)type=bind/.test(value) && source !== undefined && MANIFEST_FILE.test(source);
    });
  }
  return false;
}

export function runText(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? '';
}

export function validateManifestsBeforeSource(stage: Stage, manifestStages: ReadonlySet<string>, add: Add): void {
  const wholeCopyIndex = stage.body.findIndex(isWholeContextCopy);
  if (wholeCopyIndex === -1) return;
  const installs = stage.body
    .map((instruction, index) => ({ instruction, index }))
    .filter(({ instruction }) => instruction.getKeyword() === 'RUN' && INSTALL_COMMAND.test(runText(instruction)));
  if (installs.length === 0) return;
  const firstManifest = stage.body.findIndex((i) => copiesManifest(i, manifestStages));
  const cached = installs.some(
    ({ instruction, index }) =>
      index < wholeCopyIndex &&
      firstManifest !== -1 &&
      (firstManifest < index || (firstManifest === index && copiesManifest(instruction, manifestStages))),
  );
  if (cached) return;
  const offender = installs.find(({ index }) => index > wholeCopyIndex) ?? installs[0];
  const wholeCopy = stage.body[wholeCopyIndex];
  const command = INSTALL_COMMAND.exec(runText(offender!.instruction))?.[0] ?? 'install';
  const copyLine = (wholeCopy?.getRange().start.line ?? 0) + 1;
  add(
    MANIFESTS_BEFORE_SOURCE,
    offender!.index > wholeCopyIndex ? offender!.instruction : wholeCopy,
    `"${command}" does not run on the dependency manifests alone before the source is copied (line ${copyLine}), ` +
      'so any source change re-installs every dependency',
    'COPY the manifests and lockfile first (COPY package.json package-lock.json ./), RUN the install, then COPY . .',
  );
}
