import { Arg, DockerfileParser, Env, From, Instruction, Keyword, ModifiableInstruction } from 'dockerfile-ast';
import { isManifestsStage, MANIFESTS_BEFORE_SOURCE, validateManifestsBeforeSource, copySources, runText, type Add, type Stage } from './dockerfile-layers.js';
import type { Finding } from './types.js';

export interface DockerfileOptions {
  /**
   * Require a HEALTHCHECK in the final stage. Default true; turn off for platforms that ignore
   * it and probe on their own (Kubernetes, Hugging Face Spaces, Fly).
   */
  requireHealthcheck?: boolean;
}

/** Rule ids, exported so tests and doctor can refer to them without string typos. */
const DOCKERFILE_RULES = {
  syntax: 'dockerfile/syntax',
  nonRootUser: 'dockerfile/non-root-user',
  pinnedBaseImage: 'dockerfile/pinned-base-image',
  noSecretsInArgEnv: 'dockerfile/no-secrets-in-arg-env',
  manifestsBeforeSource: MANIFESTS_BEFORE_SOURCE,
  aptListsCleaned: 'dockerfile/apt-lists-cleaned',
  aptNoInstallRecommends: 'dockerfile/apt-no-install-recommends',
  execForm: 'dockerfile/exec-form',
  healthcheck: 'dockerfile/healthcheck',
  noAddUrl: 'dockerfile/no-add-url',
} as const;

const R = DOCKERFILE_RULES;

/**
 * Names that look like secrets, matched on `_`-separated segments so `HF_TOKEN` and
 * `DJANGO_SECRET_KEY` match but `TOKENIZERS_PARALLELISM` does not. `*_FILE` names (the
 * `POSTGRES_PASSWORD_FILE=/run/secrets/db` convention) point at a secret; they are not one.
 */
const SECRET_NAME = /(?:^|_)(?:SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|CREDENTIALS?)S?(?:_|$)/i;
const SECRET_NAME_EXEMPT = /_FILE$/i;



const FLOATING_TAGS = new Set(['latest', 'lts', 'current', 'stable', 'edge', 'nightly', 'rolling', 'mainline']);


/**
 * Checks a Dockerfile against the deploy-kit bar (see docs/design.md "What every generated file must be").
 * Parses with dockerfile-ast; every finding carries the 1-based line of the offending instruction.
 *
 * @example
 * const findings = validateDockerfile('Dockerfile', await readFile('Dockerfile', 'utf8'));
 * for (const f of findings) console.log(`${f.file}:${f.line} [${f.rule}] ${f.message}`);
 */
export function validateDockerfile(file: string, text: string, options: DockerfileOptions = {}): Finding[] {
  const requireHealthcheck = options.requireHealthcheck ?? true;
  const dockerfile = DockerfileParser.parse(text);
  const findings: Finding[] = [];
  const add = (rule: string, instruction: Instruction | undefined, message: string, fix: string, severity: Finding['severity'] = 'error') => {
    const finding: Finding = { rule, severity, file, message, fix };
    if (instruction) finding.line = instruction.getRange().start.line + 1;
    findings.push(finding);
  };

  const known = new Set<string>(Object.values(Keyword));
  // ARGs before the first FROM: their defaults are what FROM lines can substitute.
  const globalArgs = new Map<string, string | null>();
  for (const arg of dockerfile.getInitialARGs()) {
    for (const property of arg.getProperties()) globalArgs.set(property.getName(), property.getValue());
  }
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (!known.has(keyword)) {
      add(
        R.syntax,
        instruction,
        `unknown instruction "${instruction.getInstruction()}"`,
        'Use a Dockerfile instruction (FROM, RUN, COPY, ...); a build fails on unknown ones.',
      );
      continue;
    }
    if (instruction instanceof From) {
      stages.push({ from: instruction, name: instruction.getBuildStage()?.toLowerCase() ?? undefined, body: [] });
    } else if (stages.length === 0) {
      if (keyword !== 'ARG') add(R.syntax, instruction, `${keyword} before the first FROM`, 'Only ARG (and parser directives) may come before the first FROM.');
    } else {
      stages[stages.length - 1]?.body.push(instruction);
    }
  }
  const finalStage = stages[stages.length - 1];
  if (!finalStage) {
    findings.push({
      rule: R.syntax,
      severity: 'error',
      file,
      line: 1,
      message: 'no FROM instruction: this is not a buildable Dockerfile',
      fix: 'Start the build with FROM <image>:<version>.',
    });
    return findings;
  }

  validateBaseImages(stages, globalArgs, add);
  validateSecrets(dockerfile.getInstructions(), add);
  const manifestStages = new Set(stages.filter(isManifestsStage).map((s) => s.name).filter((n): n is string => n !== undefined));
  for (const stage of stages) validateManifestsBeforeSource(stage, manifestStages, add);
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'RUN') validateApt(instruction, add);
    if (keyword === 'CMD' || keyword === 'ENTRYPOINT') validateExecForm(instruction, add);
    if (keyword === 'ADD') validateAdd(instruction, add);
  }
  validateFinalUser(stages, finalStage, dockerfile, add);
  if (requireHealthcheck) validateHealthcheck(stages, finalStage, add);

  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return findings;
}


/** The stage a FROM builds on, when it names an earlier stage. */
function parentStage(stages: Stage[], stage: Stage): Stage | undefined {
  const image = stage.from.getImageName()?.toLowerCase();
  const index = stages.indexOf(stage);
  return stages.slice(0, index).find((s) => s.name !== undefined && s.name === image && !stage.from.getImageTag());
}

const ARG_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` against ARG defaults, listing variables left without a value. */
function expandArgs(value: string, args: Map<string, string | null>): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  type Part = string | undefined;
  const expanded = value.replace(ARG_REFERENCE, (_m, braced: Part, op: Part, word: Part, bare: Part) => {
    const name = (braced ?? bare) as string;
    const current = args.get(name);
    const set = current !== undefined && current !== null && current !== '';
    if (op === '-') return set ? (current as string) : (word ?? '');
    if (op === '+') return set ? (word ?? '') : '';
    if (!set) unresolved.push(name);
    return set ? (current as string) : '';
  });
  return { value: expanded, unresolved };
}

function validateBaseImages(stages: Stage[], globalArgs: Map<string, string | null>, add: Add): void {
  const fix = 'Pin the base image to a version tag (node:22.11.0-bookworm-slim) or a digest (@sha256:...), from the versions table.';
  for (const stage of stages) {
    const raw = stage.from.getImage();
    if (!raw) {
      add(R.syntax, stage.from, 'FROM without an image', 'Write FROM <image>:<version>.');
      continue;
    }
    if (parentStage(stages, stage)) continue;
    const { value: image, unresolved } = expandArgs(raw, globalArgs);
    if (unresolved.length > 0) {
      add(
        R.pinnedBaseImage,
        stage.from,
        `base image "${raw}" depends on ARG ${unresolved.join(', ')} with no default, so the version is decided at build time`,
        `Give the ARG a pinned default (ARG ${unresolved[0]}=<version>). ${fix}`,
      );
      continue;
    }
    if (image === 'scratch') continue;
    if (/@sha256:[0-9a-f]{64}$/i.test(image)) continue;
    const lastSlash = image.lastIndexOf('/');
    const colon = image.indexOf(':', lastSlash + 1);
    const tag = colon === -1 ? '' : image.slice(colon + 1);
    if (tag === '') {
      add(R.pinnedBaseImage, stage.from, `base image "${image}" has no tag, which means :latest: builds change under you`, fix);
    } else if (FLOATING_TAGS.has(tag.toLowerCase())) {
      add(R.pinnedBaseImage, stage.from, `base image "${image}" uses the floating tag :${tag}: builds change under you`, fix);
    } else if (!/\d/.test(tag) && !/\d/.test(image.slice(lastSlash + 1, colon))) {
      // A variant tag is fine when the repository name carries the version (distroless/static-debian13:nonroot).
      add(R.pinnedBaseImage, stage.from, `base image "${image}" uses :${tag}, a tag with no version number, which moves with each release`, fix, 'warning');
    }
  }
}

function validateSecrets(instructions: Instruction[], add: Add): void {
  const fix = 'Pass secrets at build time with RUN --mount=type=secret,id=... and at run time through the platform\'s secret store, never ARG/ENV.';
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    let properties: { getName(): string; getValue(): string | null }[];
    if (instruction instanceof Env) properties = instruction.getProperties();
    else if (instruction instanceof Arg) properties = instruction.getProperties();
    else continue;
    for (const property of properties) {
      const name = property.getName();
      if (!SECRET_NAME.test(name) || SECRET_NAME_EXEMPT.test(name)) continue;
      const value = property.getValue();
      if (keyword === 'ARG') {
        add(
          R.noSecretsInArgEnv,
          instruction,
          `ARG ${name} looks like a secret: build arguments are recorded in the image history (docker history) and build cache`,
          fix,
        );
      } else if (value !== null && value !== '' && value !== '""' && value !== "''") {
        add(R.noSecretsInArgEnv, instruction, `ENV ${name} sets a secret-looking value that is baked into every layer and visible to docker inspect`, fix);
      }
    }
  }
}

function validateApt(instruction: Instruction, add: Add): void {
  const text = runText(instruction);
  // Split into simple commands so each apt-get install is judged on its own flags.
  const commands = text.split(/&&|\|\||;|\n/);
  const installs = commands.filter((c) => /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/.test(c));
  if (installs.length === 0) return;
  if (installs.some((c) => !/--no-install-recommends\b/.test(c))) {
    add(
      R.aptNoInstallRecommends,
      instruction,
      'apt-get install without --no-install-recommends pulls in recommended packages the app does not need (bigger image, more CVEs)',
      'Use apt-get install -y --no-install-recommends <packages>.',
    );
  }
  const cacheMounted =
    instruction instanceof ModifiableInstruction &&
    instruction.getFlags().some((f) => {
      const value = f.getValue() ?? '';
      return f.getName() === 'mount' && /type=cache/.test(value) && /target=\/var\/lib\/apt\/lists/.test(value);
    });
  const cleaned = /\brm\s+(?:-[a-zA-Z]+\s+)*\/var\/lib\/apt\/lists\/?\*?/.test(text);
  if (!cleaned && !cacheMounted) {
    add(
      R.aptListsCleaned,
      instruction,
      'apt-get install without rm -rf /var/lib/apt/lists/* in the same RUN leaves the package index in the layer (tens of MB)',
      'End the same RUN with && rm -rf /var/lib/apt/lists/* (or use a cache mount on /var/lib/apt/lists).',
    );
  }
}

function validateExecForm(instruction: Instruction, add: Add): void {
  const keyword = instruction.getKeyword();
  const content = (instruction.getArgumentsContent() ?? '').trim();
  let isExec = false;
  if (content.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(content);
      isExec = Array.isArray(parsed) && parsed.every((p) => typeof p === 'string');
    } catch {
      isExec = false;
    }
  }
  if (!isExec) {
    add(
      R.execForm,
      instruction,
      `${keyword} in shell form runs under /bin/sh -c, so the app is not PID 1 and never receives SIGTERM (slow, unclean stops)`,
      `Use the exec form: ${keyword} ["node", "server.js"] (a JSON array with double quotes).`,
    );
  }
}

function validateAdd(instruction: Instruction, add: Add): void {
  const remote = copySources(instruction).filter((s) => /^(?:https?|ftp):\/\//i.test(s) || /^git@|\.git(?:#.*)?$/.test(s));
  if (remote.length > 0) {
    add(
      R.noAddUrl,
      instruction,
      `ADD downloads ${remote.join(', ')} at build time without a checksum check and busts the cache unpredictably`,
      'Download in a RUN with curl and verify a checksum, or use ADD --checksum=sha256:...; for local files use COPY.',
    );
  }
}

/** The USER in effect at the end of a stage, following FROM <earlier-stage> chains. */
function effectiveUser(stages: Stage[], stage: Stage, depth = 0): { user: string; instruction: Instruction } | undefined {
  const users = stage.body.filter((i) => i.getKeyword() === 'USER');
  const last = users[users.length - 1];
  if (last) return { user: (last.getArgumentsContent() ?? '').trim(), instruction: last };
  const parent = parentStage(stages, stage);
  return parent && depth < stages.length ? effectiveUser(stages, parent, depth + 1) : undefined;
}

function baseImageOf(stages: Stage[], stage: Stage, depth = 0): string {
  const parent = parentStage(stages, stage);
  return parent && depth < stages.length ? baseImageOf(stages, parent, depth + 1) : (stage.from.getImage() ?? '');
}

function validateFinalUser(stages: Stage[], finalStage: Stage, dockerfile: ReturnType<typeof DockerfileParser.parse>, add: Add): void {
  const fix = 'Create or reuse an unprivileged user (node images ship "node"; otherwise useradd --uid 1000 app) and end the final stage with USER <name>.';
  const found = effectiveUser(stages, finalStage);
  if (!found) {
    // Distroless ":nonroot" images already default to uid 65532.
    if (/:nonroot(?:-[^@]*)?(?:@|$)/.test(baseImageOf(stages, finalStage))) return;
    add(R.nonRootUser, finalStage.from, 'the final stage has no USER, so the app runs as root: a compromise of the app is root in the container', fix);
    return;
  }
  let user = found.user;
  const line = found.instruction.getRange().start.line;
  user = user.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name: string) => dockerfile.resolveVariable(name, line) ?? m);
  const name = user.split(':')[0] ?? '';
  if (name === 'root' || /^0+$/.test(name) || name === '') {
    add(R.nonRootUser, found.instruction, `the final stage runs as ${found.user || 'root'}: a compromise of the app is root in the container`, fix);
  }
}

function validateHealthcheck(stages: Stage[], finalStage: Stage, add: Add): void {
  let stage: Stage | undefined = finalStage;
  for (let depth = 0; stage && depth <= stages.length; depth++) {
    const checks = stage.body.filter((i) => i.getKeyword() === 'HEALTHCHECK');
    const last = checks[checks.length - 1];
    if (last) {
      if (/^\s*NONE\s*$/i.test(last.getArgumentsContent() ?? '')) {
        add(
          R.healthcheck,
          last,
          'HEALTHCHECK NONE disables health checking of the final image',
          'Add HEALTHCHECK CMD ["<probe>", ...] hitting the health endpoint.',
        );
      }
      return;
    }
    stage = parentStage(stages, stage);
  }
  add(
    R.healthcheck,
    finalStage.from,
    'the final stage has no HEALTHCHECK, so docker and compose cannot tell a hung app from a healthy one',
    'Add HEALTHCHECK --interval=30s --timeout=3s CMD ["<probe>", ...] against the health endpoint ' +
      '(or turn the rule off for platforms that probe on their own).',
  );
}
