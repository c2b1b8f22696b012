/** A Go service's template data: the binary, its image, its probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { DISTROLESS_CC_IMAGE, DISTROLESS_NONROOT, DISTROLESS_STATIC_IMAGE, GO_DEFAULT, goImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { GoFrontendView, GoStackView } from './types.js';
import { nodeView } from '../node/view.js';

const GO_PROBE_PATH = '/usr/local/bin/healthcheck';

/** A static Go binary built beside the app: distroless has no shell, curl or wget. */
export function goProbe(): Probe {
  return probeForms([GO_PROBE_PATH], GO_PROBE_PATH);
}

/** The Go health probe's source, one printf argument per line (single-quoted for the shell). */
function goProbeLines(port: number, healthPath: string | undefined): string[] {
  if (healthPath === undefined) {
    return [
      'package main',
      'import ("net"; "os"; "time")',
      'func main() {',
      'port := os.Getenv("PORT")',
      `if port == "" { port = "${port}" }`,
      'conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 4*time.Second)',
      'if err != nil { os.Exit(1) }',
      'conn.Close()',
      '}',
    ];
  }
  return [
    'package main',
    'import ("net/http"; "os"; "time")',
    'func main() {',
    'port := os.Getenv("PORT")',
    `if port == "" { port = "${port}" }`,
    'client := http.Client{Timeout: 4 * time.Second}',
    `resp, err := client.Get("http://127.0.0.1:" + port + "${healthPath}")`,
    'if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 { os.Exit(1) }',
    '}',
  ];
}

/** The embedded UI's Node stage: the install and build the Node stack would run for that package. */
function frontendView(s: ServiceConfig, dir: string): GoFrontendView | null {
  const f = s.frontend;
  if (!f) return null;
  const ui: ServiceConfig = {
    name: `${s.name}-ui`,
    path: f.path,
    stack: 'node',
    kind: 'static',
    packageManager: f.packageManager,
    ...(f.packageManagerVersion ? { packageManagerVersion: f.packageManagerVersion } : {}),
    languageVersion: f.languageVersion,
    ...(f.lockfile === false ? { lockfile: false } : {}),
    build: f.build,
    outputDir: f.output,
    port: s.port,
  };
  const view = nodeView(ui, { dir: f.path, workspaceDir: f.path });
  const node = view.node!;
  const inDirPath = (file: string): string => (f.path === '.' ? file : `${f.path}/${file}`);
  return {
    image: view.baseImage,
    workdir: f.path === '.' ? '/src' : `/src/${f.path}`,
    source: f.path === '.' ? '.' : `${f.path}/`,
    pmInstall: node.pmInstall,
    manifests: node.manifests.split(' ').map(inDirPath).join(' '),
    cacheDir: node.cacheDir,
    installAll: node.installAll,
    build: f.build,
    output: f.output,
    languageVersion: f.languageVersion,
    ciDir: f.path === '.' ? dir || '.' : inDir(dir, f.path),
    ignoreDir: f.path === '.' ? '' : `${f.path}/`,
  };
}

export function goView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? GO_DEFAULT;
  const words = (s.start ?? s.name).split(/ +/);
  const binary = words[0] ?? s.name;
  const go: GoStackView = {
    mainPackage: s.mainPackage ?? '.',
    binary,
    binaryPath: `/usr/local/bin/${binary}`,
    args: words.length > 1 ? JSON.stringify(words.slice(1)) : null,
    probeLines: goProbeLines(s.port, s.healthPath),
    probePath: GO_PROBE_PATH,
    user: DISTROLESS_NONROOT,
    cgo: s.cgo === true,
    frontend: frontendView(s, dir),
  };
  return {
    testJob: true,
    languageVersion,
    baseImage: goImage(languageVersion),
    runtimeImage: go.cgo ? DISTROLESS_CC_IMAGE : DISTROLESS_STATIC_IMAGE,
    lockfilePath: null,
    ciCacheFiles: [inDir(dir, 'go.mod'), inDir(dir, 'go.sum')],
    imageSummary: go.cgo ? `a cgo Go ${languageVersion} binary on distroless/cc (glibc)` : `a static Go ${languageVersion} binary on distroless`,
    runsAs: `distroless's unprivileged \`nonroot\` user (uid ${DISTROLESS_NONROOT.split(':')[0]})`,
    user: DISTROLESS_NONROOT,
    tiniNeeded: false,
    go,
  };
}
