/**
 * A new deploy-kit.yaml for a repo without one: detect, show what was found, ask what detection
 * could not answer, build the config. Writes nothing; `init` and `add` (on a repo with no kit
 * yet) both start here.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildConfig, parseAddons, type ServiceChoice, type ServiceValues } from '../config/build.js';
import { chooseServices, projectName, refuseUnsupported, type Candidate } from '../config/choose-services.js';
import { addonsFromEnv } from '../config/from-detection.js';
import { slugify } from '../detect/shared.js';
import { servedByNginx } from '../../stacks/index.js';
import { TCP_HEALTH } from '../../stacks/shared.js';
import { isValidConfig, parseConfig } from '../config/load.js';
import type { DeployKitConfig } from '../config/types.js';
import { renderNewConfig } from '../config/write.js';
import { detectRepo, envForStacks } from '../detect/index.js';
import { detectPythonTests } from '../../stacks/python/detect-tests.js';
import { UsageError } from '../errors.js';
import type { PromptIO } from '../prompts/index.js';
import { answer, type Question } from '../prompts/questions.js';
import { describeFacts } from './describe-facts.js';
import { review } from './review.js';
import { answerValidators as validators, givenValues, list, type FlagValues } from './init-flags.js';
import type { CommandContext } from './context.js';

export interface NewConfig {
  config: DeployKitConfig;
  configText: string;
  /** The prompts, when a person is answering: init asks them to confirm before writing. */
  prompts: typeof import('../prompts/index.js') | undefined;
  io: PromptIO;
}

/** The questions for one service: port and health route, and the start command when its stack needs one. */
function serviceQuestions(c: Candidate, given: ServiceValues, single: boolean): Question[] {
  const q = c.questions;
  const of = single ? '' : ` of "${c.name}"`;
  const flagOf = (f: string) => (single ? `--${f}` : `--${f} ${c.name}=`);
  const question = (field: 'port' | 'healthPath' | 'start', flag: string, label: string): Question => ({
    key: `${c.name}.${field}`,
    flag: flagOf(flag),
    label: `${label}${of}`,
    detected: q[field],
    fallback: q.fallback[field],
    // No route in the code: the checks connect to the port; a route is never invented.
    fallbackMeans: field === 'healthPath' && q.fallback[field] === TCP_HEALTH ? 'the health checks connect to the port over TCP' : undefined,
    validate: validators[field],
    given: given[field],
  });
  const questions = [question('port', 'port', 'Port the app listens on'), question('healthPath', 'health-path', 'Health check path')];
  if (q.needsStart) questions.push(question('start', 'start', 'Production start command'));
  // A site nginx serves has its port and health route fixed by the kit: nothing to ask.
  return questions.filter((question) => !servedByNginx(c.service) || question.given !== undefined);
}

/** The answers one service's questions got, as its values. */
function answersOf(answers: Record<string, string>, name: string): ServiceValues {
  const own: ServiceValues = {};
  for (const key of ['port', 'healthPath', 'start'] as const) {
    const v = answers[`${name}.${key}`];
    if (v !== undefined) own[key] = v;
  }
  return own;
}

/** Detection + flags + prompts -> a validated config for a repo without one. */
/**
 * `preview`, for a person reviewing the answers, says what the config would write (init's list
 * of files); without it the review ends at "Looks right?".
 */
export async function newConfig(
  ctx: CommandContext,
  root: string,
  values: FlagValues,
  preview?: (config: DeployKitConfig, configText: string) => Promise<string>,
): Promise<NewConfig> {
  const facts = await detectRepo(root);
  const only = typeof values.services === 'string' ? values.services.split(',').map((s) => s.trim().replace(/^\.\//, '')).filter(Boolean) : undefined;
  const stacks = new Map(list(values, 'stack').map((v) => v.split('=') as [string, string]));
  const candidates = chooseServices(facts, { only, stacks }, root);
  candidates.forEach(refuseUnsupported);
  const single = candidates.length === 1;
  const given = givenValues(values, candidates.map((c) => c.name));

  // Variables read only by code no chosen service runs (a sibling frontend's) are not the kit's.
  const env = envForStacks(facts.env, candidates.map((c) => c.service.stack));
  const detectedAddons = addonsFromEnv(env, candidates.map((c) => c.service));
  const addons = given.addons === undefined ? detectedAddons.addons : parseAddons(given.addons);
  const gitlabFound = existsSync(join(root, '.gitlab-ci.yml')) && !existsSync(join(root, '.github', 'workflows'));
  const provider: DeployKitConfig['ci']['provider'] = given.ci === 'gitlab' || (given.ci === undefined && gitlabFound) ? 'gitlab' : 'github';
  const ciEvidence = given.ci ? '--ci' : gitlabFound ? '.gitlab-ci.yml present' : 'default (no .gitlab-ci.yml)';

  const io: PromptIO = { input: ctx.input, output: ctx.output };
  const prompts = ctx.interactive && !values.yes ? await import('../prompts/index.js') : undefined;
  const addonsShown = given.addons === undefined ? detectedAddons.evidence : Object.keys(addons).map((a) => `${a}: --addons`);
  const summary = describeFacts({ ...facts, env }, candidates, { addons: addonsShown, ci: { value: provider, evidence: ciEvidence } });
  if (prompts) {
    prompts.intro('deploy-kit', io);
    prompts.note(summary, 'Detected', io);
  } else ctx.out.print(`Detected in ${root}:\n${summary.replace(/^/gm, '  ')}`);

  // The questions, in the order they are asked. A lone service keeps the order init always had.
  const name: Question = {
    key: 'name',
    flag: '--name',
    label: 'Project name',
    detected: projectName(facts, candidates),
    default: slugify(basename(root)) || 'app',
    validate: validators.name,
    given: given.name,
  };
  const branch: Question = {
    key: 'branch',
    flag: '--branch',
    label: 'Production branch',
    detected: facts.git.defaultBranch,
    validate: validators.branch,
    given: given.branch,
  };
  const staging: Question = {
    key: 'staging',
    flag: '--staging-branch',
    label: 'Staging branch (leave empty for none)',
    optional: true,
    validate: validators.branch,
    given: given.stagingBranch,
  };
  const perService = candidates.map((c) => serviceQuestions(c, given.services[c.name] ?? {}, single));
  const isStart = (q: Question) => q.key.endsWith('.start');
  const questions = single
    ? [name, ...perService[0]!.filter((q) => !isStart(q)), branch, ...perService[0]!.filter(isStart), staging]
    : [name, branch, ...perService.flat(), staging];
  const build = async (answers: Record<string, string>): Promise<Built> => {
    const services: ServiceChoice[] = await Promise.all(
      candidates.map(async (c) => {
        // Answers win over the flags they came from; build and test are never asked.
        const own = { ...given.services[c.name], ...answersOf(answers, c.name) };
        const hasPytest = c.service.stack === 'python' && own.test === undefined ? Boolean(await detectPythonTests(root, c.service.path)) : false;
        return { candidate: c, values: own, hasPytest };
      }),
    );
    const { config, warnings } = buildConfig({
      name: answers.name!,
      services,
      branches: { production: answers.branch!, staging: answers.staging ?? null },
      ci: provider,
      addons,
      versions: given.versions,
      env,
    });
    if (config.branches.production === config.branches.staging) {
      throw new UsageError('the staging branch (--staging-branch) must differ from the production branch');
    }
    const configText = renderNewConfig(config);
    // The file we write must load back, with the same checks as a hand edit; the problems with
    // their lines come from parsing the text, done only when there are some.
    if (!isValidConfig(config)) parseConfig(configText);
    return { config, configText, warnings };
  };

  // A person reviews what detection found (and answers what it did not); without one, the flags,
  // detection and defaults answer, or the command lists the flags to pass.
  const built = prompts
    ? await review<Built>({ prompts, io, questions, build, preview: preview && ((b) => preview(b.config, b.configText)) })
    : await build(
        await answer(questions, {
          yes: Boolean(values.yes),
          invocation: ctx.invocation,
          missing: (flags) => `missing answers that detection could not find, and no terminal to ask: ${flags}`,
          note: (text) => ctx.out.error(text),
        }),
      );
  for (const w of built.warnings) {
    if (prompts) prompts.log(`warning: ${w}`, io);
    else ctx.out.error(`warning: ${w}`);
  }
  return { config: built.config, configText: built.configText, prompts, io };
}

interface Built {
  config: DeployKitConfig;
  configText: string;
  warnings: string[];
}
