import type { DeployKitConfig, ServiceConfig } from '../../src/config/types.js';
import { runtimeOf } from '../../stacks/index.js';
import type { ProjectView } from '../../src/view/project.js';
import { serviceView, type ServiceView } from '../../src/view/service.js';
import { deployed, onBranch, SSR_FRAMEWORKS } from '../shared/target.js';

/** The port a Space serves on unless the app's own port cannot be moved there. */
const SPACE_PORT = 7860;

/**
 * How a service is moved to port 7860 inside a Space: the start command with its port argument
 * rewritten, or PORT (and the framework variables the Dockerfile sets from it). Null when
 * deploy-kit cannot know that the app would follow (a server whose code picks its own port, a
 * port written where no known flag holds it): the Space then keeps the app's port as `app_port`.
 */
export function spaceStart(s: ServiceConfig, readsPort: boolean): { start: string | undefined } | null {
  if (s.port === SPACE_PORT) return { start: s.start };
  const runtime = runtimeOf(s);
  // nginx, and Apache in the PHP image, listen where PORT says.
  if (runtime === 'nginx' || runtime === 'php') return { start: s.start };
  const words = (s.start ?? '').split(/ +/).filter(Boolean);
  const port = String(s.port);
  const out: string[] = [];
  let rewrote = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if ((w === '--port' || w === '--server.port') && next === port) {
      out.push(w, String(SPACE_PORT));
      i++;
      rewrote = true;
    } else if ((w === '--bind' || w === '-b') && next !== undefined && next.endsWith(`:${port}`)) {
      out.push(w, `${next.slice(0, -port.length)}${SPACE_PORT}`);
      i++;
      rewrote = true;
    } else if (w === `--port=${port}` || w === `--server.port=${port}`) {
      out.push(`${w.slice(0, -port.length)}${SPACE_PORT}`);
      rewrote = true;
    } else if (w.startsWith('--bind=') && w.endsWith(`:${port}`)) {
      out.push(`${w.slice(0, -port.length)}${SPACE_PORT}`);
      rewrote = true;
    } else {
      // The port somewhere no known flag holds it: the app would not follow.
      if (w.includes(port)) return null;
      out.push(w);
    }
  }
  const start = out.length ? out.join(' ') : s.start;
  if (rewrote) return { start };
  if (s.stack === 'python') {
    // gunicorn binds to $PORT without --bind; Streamlit and Gradio read the variables the Dockerfile sets from it.
    if (s.server === 'gunicorn' || s.server === 'streamlit' || s.framework === 'gradio' || s.framework === 'streamlit') return { start };
    // uvicorn's default port is 8000: an explicit one moves it.
    if (s.server === 'uvicorn') return { start: `${start ?? ''} --port ${SPACE_PORT}`.trim() };
  }
  if (s.stack === 'node' && s.kind === 'ssr' && s.webFramework && SSR_FRAMEWORKS.has(s.webFramework)) return { start };
  // The code reads PORT (detection recorded it under env:): PORT=7860 moves it.
  return readsPort ? { start } : null;
}

export interface HfSpacesView {
  /** The service's config, for refusals and the Dockerfile choice. */
  source: ServiceConfig;
  service: ServiceView;
  /** The service as the Space image runs it: port 7860 where possible, uid 1000. */
  spaceService: ServiceView;
  space: string;
  /** https://huggingface.co/spaces/<space> */
  spaceUrl: string;
  /** https://<owner>-<name>.hf.space: where the app answers. */
  appUrl: string;
  title: string;
  emoji: string;
  colorFrom: string;
  colorTo: string;
  /** The README's app_port: 7860, or the app's own port when it cannot move. */
  appPort: number;
  /** True when the app keeps its own port (the runbook says why). */
  ownPort: boolean;
  branch: string;
  githubIf: string;
  /** `git archive` tree-ish of the build context: HEAD or HEAD:<dir>. */
  archiveTree: string;
  /** Repo path of the build context ("" for the root). */
  contextDir: string;
  /** Repo path of the ignore file the Space gets as .dockerignore. */
  dockerignore: string;
  /** Path of nginx.conf inside the Space tree (nginx-served sites), else null. */
  nginxConf: string | null;
  /** Path of the Dockerfile the build context holds (workspace packages), removed in favor of the Space's. */
  contextDockerfile: string;
}

export function hfSpacesView({ config, project }: { config: DeployKitConfig; project: ProjectView }): HfSpacesView | null {
  const picked = deployed({ config, project }, 'hf-spaces');
  if (!picked) return null;
  const { target, s, service } = picked;
  // The app's own port or address variable (portEnv, listenAddrEnv) follows the port as PORT does: the Dockerfile sets both.
  const readsPort = s.portEnv !== undefined || s.listenAddrEnv !== undefined || (config.env ?? []).some((e) => e.name === 'PORT');
  const moved = spaceStart(s, readsPort);
  const spaceConfig: ServiceConfig = moved ? { ...s, port: SPACE_PORT, ...(moved.start !== undefined ? { start: moved.start } : {}) } : s;
  // The same service moved to the Space's port: its own view, not a second project view.
  const variant = serviceView({ ...config, services: config.services.map((x) => (x === s ? spaceConfig : x)), targets: [] }, spaceConfig);
  // Spaces run the container as uid 1000: the image's user is that uid, whatever the stack's default.
  const spaceService: ServiceView = {
    ...variant,
    go: variant.go ? { ...variant.go, user: '1000:1000' } : null,
    nginx: variant.nginx ? { ...variant.nginx, user: '1000:1000' } : null,
    runsAs: 'uid 1000, as Spaces require',
    user: '1000:1000',
  };
  const [owner = '', name = ''] = target.space.split('/');
  const sub = `${owner}-${name}`.toLowerCase().replace(/[._]/g, '-');
  const contextDir = service.context === '.' ? '' : service.context.replace(/^\.\//, '');
  return {
    source: s,
    service,
    spaceService,
    space: target.space,
    spaceUrl: `https://huggingface.co/spaces/${target.space}`,
    appUrl: `https://${sub}.hf.space`,
    title: target.title ?? config.name,
    emoji: target.emoji ?? '🚀',
    colorFrom: target.colorFrom ?? 'blue',
    colorTo: target.colorTo ?? 'indigo',
    appPort: spaceService.port,
    ownPort: spaceService.port !== SPACE_PORT,
    branch: config.branches.production,
    githubIf: onBranch(config.branches.production),
    archiveTree: contextDir ? `HEAD:${contextDir}` : 'HEAD',
    contextDir,
    dockerignore: service.workspace ? `${service.dockerfilePath}.dockerignore` : service.dir ? `${service.dir}/.dockerignore` : '.dockerignore',
    nginxConf: service.runtimeNginx ? `${service.inContext}nginx.conf` : null,
    contextDockerfile: `${service.inContext}Dockerfile`,
  };
}

