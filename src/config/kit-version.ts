/**
 * The deploy-kit version a kit was written by (deploy-kit.yaml's `deployKit`) against the one
 * running: the same, an older kit (upgrading re-renders it with this version), or a newer kit
 * (this version must not touch it: it would undo what the newer one wrote).
 */
import { CLI, VERSION } from '../version.js';
import { UserError } from '../errors.js';
import { CONFIG_FILE, type DeployKitConfig } from './types.js';

/** Compares two x.y.z[-pre] versions: negative when a is older; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { nums: core.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

const npx = (version: string) => `npx create-deploy-kit@${version}`;

/** Refuses a kit written by a newer deploy-kit, naming the command to run instead. */
export function refuseNewerKit(config: DeployKitConfig, command: string): void {
  const wrote = config.deployKit;
  if (wrote === undefined || compareVersions(wrote, VERSION) <= 0) return;
  throw new UserError(
    `${CONFIG_FILE} was written by deploy-kit ${wrote}, newer than this one (${VERSION}); ` +
      `this version would undo what ${wrote} wrote, so it stops here.`,
    `Run that version instead: \`${npx(wrote)} ${command}\``,
  );
}

/**
 * What upgrading an older kit changes, for the command about to run; null when the kit is this
 * version's (or says nothing, as kits written before the version was recorded).
 */
export function upgradeNote(config: DeployKitConfig, command: string): string | null {
  const wrote = config.deployKit;
  if (wrote === undefined || compareVersions(wrote, VERSION) >= 0) return null;
  const what =
    `${CONFIG_FILE} was written by deploy-kit ${wrote}; this is ${VERSION}. Upgrading re-renders the kit with ${VERSION}'s templates ` +
    `and pinned versions (base images, actions, tools), merges your edits to generated files as usual, and records ${VERSION} in ${CONFIG_FILE}.`;
  if (command === 'plan') return `${what} Below is the diff it makes.`;
  if (command === 'check') return `${what} \`${CLI} plan\` shows the diff; \`${npx(wrote)} check\` checks against the version that wrote it.`;
  return `${what} To see the diff before writing, run \`${CLI} plan\`; to stay on ${wrote}, run \`${npx(wrote)} ${command}\`.`;
}
