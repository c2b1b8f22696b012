/** Node packages that are no service: a workspace root that runs its packages' scripts, apps that run on people's devices. */
import type { Fact } from '../../src/detect/fact.js';
import { join } from 'node:path';
import { exists, isRecord } from '../../src/detect/shared.js';
import type { PackageJson } from './package-manager.js';

/**
 * A package that runs on people's devices, not on a server: a VS Code extension (`engines.vscode`; its
 * webview's Vite build is no site), a React Native or Expo app (`expo start` is a dev server), an Electron or Tauri app.
 */
export function clientApp(pkg: PackageJson, at: (f: string) => string): Fact<string> | undefined {
  if (isRecord(pkg.engines) && pkg.engines.vscode !== undefined) {
    return { value: 'a VS Code extension', evidence: `${at('package.json')} engines.vscode: ${JSON.stringify(pkg.engines.vscode)}` };
  }
  const deps = isRecord(pkg.dependencies) ? pkg.dependencies : {};
  const mobile = ['expo', 'react-native'].find((d) => d in deps);
  if (mobile) return { value: 'a mobile app', evidence: `${at('package.json')} dependencies.${mobile}: ${JSON.stringify(deps[mobile])}` };
  // Tauri: the CLI bundles the Vite build into a desktop app (src-tauri/); a site that only imports @tauri-apps/api stays one.
  const devDeps = isRecord(pkg.devDependencies) ? pkg.devDependencies : {};
  const tauri = deps['@tauri-apps/cli'] ?? devDeps['@tauri-apps/cli'];
  if (tauri !== undefined) {
    const field = '@tauri-apps/cli' in deps ? 'dependencies' : 'devDependencies';
    return { value: 'a Tauri desktop app', evidence: `${at('package.json')} ${field}.@tauri-apps/cli: ${JSON.stringify(tauri)}` };
  }
  const start = isRecord(pkg.scripts) ? pkg.scripts.start : undefined;
  if (typeof start === 'string' && /^electron(?:-forge)?\s/.test(start.trim())) {
    return { value: 'an Electron desktop app', evidence: `${at('package.json')} scripts.start: ${JSON.stringify(start)}` };
  }
  return undefined;
}

/** What a package people install on their devices is told: there is nothing to deploy to a server. */
export function clientAppNote(path: string, client: Fact<string>): string {
  const where = path === '.' ? 'the repository root' : path;
  return `${where} is ${client.value} (${client.evidence}), which runs on its users' devices: not a service, nothing to deploy`;
}

/** Commands that run scripts of a workspace's packages (turbo, nx, lerna, pnpm --filter/-r, npm -w, yarn workspace), by name. */
const WORKSPACE_RUNNERS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['turbo', /^turbo(?:\s|$)/],
  ['nx', /^nx\s/],
  ['lerna', /^lerna\s+run\s/],
  ['pnpm --filter', /^pnpm\s(?:.*\s)?(?:--filter|-F|-r|--recursive)(?:[\s=]|$)/],
  ['npm --workspace', /^npm\s(?:.*\s)?(?:-w|--workspaces?)(?:[\s=]|$)/],
  ['yarn workspace', /^yarn\s+workspaces?\s/],
];

/** The tool a workspace root's start script hands over to. */
function workspaceRunner(command: string): string | undefined {
  return WORKSPACE_RUNNERS.find(([, pattern]) => pattern.test(command))?.[0];
}

/** `yarn --cwd ./app start`, `npm --prefix server start`, `pnpm -C web start`, `cd server && npm start`: the directory. */
const PACKAGE_DIR = /^(?:(?:yarn\s+--cwd|npm\s+(?:--prefix|-C)|pnpm\s+(?:--dir|-C))[\s=]+|cd\s+)(?:\.\/)?([\w.-]+(?:\/[\w.-]+)*)\/?(?:\s|$)/;

/** A static file server (http-server, serve, sirv) over `<package dir>/<dist|build|out>`: the package dir. */
const STATIC_SERVER = /^(?:npx\s+)?(?:http-server|serve|sirv(?:-cli)?)\s+(?:-[\w-]+(?:[\s=]\d+)?\s+)*(?:\.\/)?([\w.-]+(?:\/[\w.-]+)*)\/(?:dist|build|out)\/?(?:\s|$)/;

/**
 * A start script that runs another package's (a workspace's packages through turbo or `pnpm --filter`,
 * or the package in a subdirectory through `yarn --cwd app start`), env prefixes (`dotenv --`,
 * `cross-env A=b`) aside: that package is the service, not this one.
 */
export async function delegatedStart(
  dir: string,
  script: string | undefined,
  workspace: boolean,
  at: (f: string) => string,
): Promise<Fact<string> | undefined> {
  if (script === undefined) return undefined;
  const command = script.trim().replace(/^(?:(?:dotenv(?:\s+-\S+)*\s+--|cross-env|env|[A-Za-z_]\w*=\S*)\s+)+/, '');
  const evidence = `${at('package.json')} scripts.start: ${JSON.stringify(script)}`;
  const runner = workspace ? workspaceRunner(command) : undefined;
  if (runner) return { value: `runs its workspace packages' scripts (${runner})`, evidence };
  const sub = PACKAGE_DIR.exec(command)?.[1];
  if (sub && !sub.startsWith('..') && (await exists(join(dir, sub, 'package.json')))) return { value: `runs the package in ${at(sub)}`, evidence };
  // `http-server packages/web/dist -p 3000`: a static server over another package's build, which is the site.
  const served = STATIC_SERVER.exec(command);
  if (served?.[1] && !served[1].startsWith('..') && (await exists(join(dir, served[1], 'package.json')))) {
    return { value: `serves the build of the package in ${at(served[1])}`, evidence };
  }
  return undefined;
}

/**
 * A workspace root with no start script whose build runs its packages' builds (`pnpm -r --filter ./apps/web run build`):
 * the root holds the workspace, even when it also keeps every dependency (next among them) for its packages.
 */
export function delegatedBuild(scripts: Record<string, string>, workspace: boolean, at: (f: string) => string): Fact<string> | undefined {
  const build = scripts.build;
  if (!workspace || scripts.start !== undefined || build === undefined) return undefined;
  const runner = workspaceRunner(build.trim());
  return runner ? { value: `builds its workspace packages (${runner}) and has no start script`, evidence: `${at('package.json')} scripts.build: ${JSON.stringify(build)}` } : undefined;
}

/** What a workspace root whose start runs its packages' scripts is told: the packages are the services. */
export function delegatesStartNote(path: string, delegates: Fact<string>): string {
  const where = path === '.' ? 'the repository root' : path;
  return (
    `${where} is no service of its own: ${delegates.evidence} ${delegates.value}; ` +
    'each package that runs or serves something is detected as a service'
  );
}
