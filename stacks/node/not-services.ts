/** Node packages that are no service: a workspace root that runs its packages' scripts, apps that run on people's devices. */
import type { Fact } from '../../src/detect/fact.js';
import { isRecord } from '../../src/detect/shared.js';
import type { PackageJson } from './package-manager.js';

/**
 * A package that runs on people's devices, not on a server: a VS Code extension (`engines.vscode`; its
 * webview's Vite build is no site), a React Native or Expo app (`expo start` is a dev server), an Electron app.
 */
export function clientApp(pkg: PackageJson, at: (f: string) => string): Fact<string> | undefined {
  if (isRecord(pkg.engines) && pkg.engines.vscode !== undefined) {
    return { value: 'a VS Code extension', evidence: `${at('package.json')} engines.vscode: ${JSON.stringify(pkg.engines.vscode)}` };
  }
  const deps = isRecord(pkg.dependencies) ? pkg.dependencies : {};
  const mobile = ['expo', 'react-native'].find((d) => d in deps);
  if (mobile) return { value: 'a mobile app', evidence: `${at('package.json')} dependencies.${mobile}: ${JSON.stringify(deps[mobile])}` };
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

/** The tool a workspace root's start script hands over to, env prefixes (`dotenv --`, `cross-env A=b`) aside. */
export function workspaceRunner(script: string): string | undefined {
  const command = script.trim().replace(/^(?:(?:dotenv(?:\s+-\S+)*\s+--|cross-env|env|[A-Za-z_]\w*=\S*)\s+)+/, '');
  return WORKSPACE_RUNNERS.find(([, pattern]) => pattern.test(command))?.[0];
}

/** What a workspace root whose start runs its packages' scripts is told: the packages are the services. */
export function delegatesStartNote(path: string, delegates: Fact<string>): string {
  const where = path === '.' ? 'the repository root' : path;
  return (
    `${where} is no service of its own: ${delegates.evidence} runs its workspace packages' scripts (${delegates.value}); ` +
    'each package that runs or serves something is detected as a service'
  );
}
