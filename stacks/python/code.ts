import type { Fact } from '../../src/detect/fact.js';
import { HEALTH_SEGMENT, SERVICE_PORTS, best, choosePort, codeEvidence, healthRank, type Candidate, type PortMatch } from '../../src/detect/shared.js';

/** What a Python app's own code says: its port, its health route, the lines that name them. */

/** Entry files people name their app; preferred, in this order, when several files qualify. */
export const CONVENTIONAL = ['app.py', 'main.py', 'server.py', 'streamlit_app.py', 'Home.py', 'run.py', 'wsgi.py', 'asgi.py'];

export interface PyFile {
  path: string;
  text: string;
}
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

// ------------------------------------------------------------------ code facts: port and health

/** The first line of `file` matching `pattern` (group 1 is the value), with "file:line text" evidence. */
export function lineMatch(file: PyFile, pattern: RegExp): { value: string; evidence: string } | undefined {
  const single = new RegExp(pattern.source, pattern.flags.replace(/[gm]/g, ''));
  for (const [i, line] of file.text.split('\n').entries()) {
    if (/^\s*#/.test(line)) continue;
    const m = single.exec(line);
    if (m) return { value: m[1] ?? m[0], evidence: codeEvidence(file.path, i + 1, line) };
  }
  return undefined;
}

const PORT_PATTERNS: ReadonlyArray<readonly [rank: number, pattern: RegExp]> = [
  // uvicorn.run(app, port=8080), app.run(port=5001), demo.launch(server_port=7861), make_server("", 8000, app)
  [0, /\b(?:run|launch|serve|make_server|HTTPServer|TCPServer|ThreadingHTTPServer)\(.*?\b(?:server_)?port\s*=\s*(\d{2,5})\b/],
  [0, /(?:HTTPServer|TCPServer|make_server)\(\s*\(?\s*['"][^'"]*['"]\s*,\s*(\d{2,5})\b/],
  // int(os.environ.get("PORT", 8080)), os.getenv('PORT', '5000'), env.int("PORT", default=8000): an environment
  // read (a settings dict's REDIS.get('PORT', 6379) is another server's port)
  [0, /\b(?:getenv|environ\.get|environ\.setdefault|env(?:\.int|\.str)?|config)\(\s*['"]PORT['"]\s*,\s*(?:default\s*=\s*)?['"]?(\d{2,5})\b/],
  [1, /^\s*PORT\s*(?::\s*int\s*)?=\s*(\d{2,5})\b/],
  [2, /\b(?:server_)?port\s*=\s*(\d{2,5})\b/i],
];

/** A port the code names, best pattern first, then the entry file, then walk order (shallow first). */
export function codePort(files: PyFile[], entry: string | undefined, warnings: string[], at: (f: string) => string): Fact<number> | undefined {
  const matches: PortMatch[] = [];
  for (const file of files) {
    let docstring = false;
    file.text.split('\n').forEach((line, i) => {
      // A docstring's prose ("e.g. port=9090") is not code: lines inside one, and the text in quotes on a line, are skipped.
      const inDocstring = docstring;
      if ((line.match(/"{3}|'{3}/g) ?? []).length % 2 === 1) docstring = !docstring;
      if (inDocstring || /^\s*#/.test(line)) return;
      for (const [rank, pattern] of PORT_PATTERNS) {
        const m = pattern.exec(line);
        const port = Number(m?.[1]);
        // Only the server's own call may name a port a database or broker uses by default.
        if (!m || !port || port > 65535 || (rank > 0 && SERVICE_PORTS.has(port)) || inString(line, m.index)) continue;
        matches.push({
          value: port,
          rank: rank * 2 + (entry === undefined || entry === file.path ? 0 : 1),
          evidence: at(codeEvidence(file.path, i + 1, line)),
          file: file.path,
          line: i + 1,
        });
        break;
      }
    });
  }
  return choosePort(matches, warnings, at);
}

/**
 * The variable a script reads its port from when it names its own (`int(os.environ.get("NOTES_PORT", 8080))`,
 * `os.getenv("HTTP_PORT")`, `os.environ["SERVER_PORT"]`), with its default when it has one. PORT itself is what the
 * kit sets anyway: not returned.
 */
export function portVariable(file: PyFile, at: (f: string) => string): { name: Fact<string>; port?: Fact<number> } | undefined {
  const read = /\b(?:os\.getenv|(?:os\.)?environ\.get|(?:os\.)?environ\[)\(?\s*['"]([A-Z][A-Z0-9_]*_PORT)['"]\s*(?:,\s*['"]?(\d{2,5})\b)?/;
  for (const [i, line] of file.text.split('\n').entries()) {
    const m = /^\s*#/.test(line) ? null : read.exec(line);
    if (!m?.[1] || inString(line, m.index)) continue;
    const evidence = at(codeEvidence(file.path, i + 1, line));
    const port = Number(m[2]);
    return { name: { value: m[1], evidence }, ...(port && port <= 65535 ? { port: { value: port, evidence } } : {}) };
  }
  return undefined;
}

/** Whether `index` of `line` falls inside a quoted string (a one-line string, or after an opening triple quote). */
function inString(line: string, index: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < index; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
  }
  return quote !== undefined;
}

const ROUTE_PATH = `((?:/[\\w.-]+)*/${HEALTH_SEGMENT}/?)`;
/** @app.get("/health"), @router.api_route("/healthz"), @bp.route("/ping"): group 1 the object, group 2 the path. */
const DECORATOR = new RegExp(`@(\\w+(?:\\.\\w+)*)\\.(?:get|head|route|api_route)\\(\\s*['"]${ROUTE_PATH}['"]`);
/** `@router.get("/")` or `@router.get("")`: the route is its router's prefix (`include_router(health_router, prefix="/health")`). */
const ROOT_DECORATOR = /@(\w+(?:\.\w+)*)\.(?:get|head|route|api_route)\(\s*['"](\/?)['"]/;
const HEALTH_PREFIX = new RegExp(`/${HEALTH_SEGMENT}$`);
const HEALTH_PATTERNS: RegExp[] = [
  // app.add_api_route("/health", ...), app.add_url_rule("/health", ...), Starlette Route("/health", ...)
  new RegExp(`\\b(?:add_api_route|add_url_rule|Route)\\(\\s*['"]${ROUTE_PATH}['"]`),
  // An ASGI/WSGI middleware wrapping the application: `application = health_check(application, "/health/")`
  new RegExp(`^\\s*(\\w+)\\s*=\\s*\\w*health\\w*\\(\\s*\\1\\s*,\\s*['"]${ROUTE_PATH}['"]\\s*\\)`, 'i'),
];
/** Django: path("healthz/", ...), re_path(r"^health/$", ...): no leading slash, usually a trailing one. */
const DJANGO_HEALTH = new RegExp(`\\b(?:re_)?path\\(\\s*r?['"]\\^?((?:[\\w.-]+/)*${HEALTH_SEGMENT}/?)\\$?['"]`);
/** `router = APIRouter(prefix="/api")`, `bp = Blueprint("x", __name__, url_prefix="/api")`: the object's own prefix. */
const OWN_PREFIX = /^(\w+)\s*=\s*(?:\w+\.)?(?:APIRouter|Blueprint)\(([^)]*)\)?/;
/** `app.include_router(health.router, prefix="/api")`, `api.register_blueprint(bp)`: group 1 the parent, 2 the mounted object, 3 the arguments. */
const MOUNT = /\b(\w+)\.(?:include_router|register_blueprint)\(\s*([\w.]+)\s*(?:,([^)]*))?\)?/;
/** A prefix argument: a literal (group 1) or a name such as `settings.API_V1_STR` (group 2). */
const PREFIX_ARG = /\b(?:url_)?prefix\s*=\s*(?:['"]([^'"]*)['"]|([\w.]+))/;

const joinPath = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;

interface Mount {
  /** Module (file name without .py) the mount is written in, and the object it mounts on. */
  module: string;
  parent: string;
  /** The mounted object's name, and its module when written `module.router`. */
  name: string;
  childModule: string | null;
  /** The prefix; null when it is a name whose value is not a literal in the code. */
  prefix: string | null;
}

/** `API_V1_STR: str = "/api/v1"` (a settings default) or `API_V1_STR = "/api/v1"`: a name's literal value. */
function constantValue(files: PyFile[], name: string): string | null {
  const re = new RegExp(`^\\s*${name}\\s*(?::[^=]+)?=\\s*['"]([^'"]*)['"]\\s*(?:#.*)?$`, 'm');
  for (const file of files) {
    const m = re.exec(file.text);
    if (m) return m[1] ?? '';
  }
  return null;
}

/** A file's module name as imports spell it: a package's `__init__.py` is the package. */
const moduleOf = (path: string) => {
  const parts = path.replace(/\.py$/, '').split('/');
  return (parts[parts.length - 1] === '__init__' && parts.length > 1 ? parts[parts.length - 2] : parts[parts.length - 1]) ?? '';
};

/** What a name imported under another stands for: `name` as written in `module` (null: a module imported whole). */
interface Imported {
  module: string | null;
  name: string;
}

/**
 * The names a file imports under another (`import app.api.routes.utils as utils_routes`,
 * `from app.api.routes import utils as utils_routes`, `from .routes.utils import router as
 * utils_router`, parenthesised lists too), so a mount written with the alias finds the router.
 */
function importAliases(text: string): Map<string, Imported> {
  const aliases = new Map<string, Imported>();
  const statements = text.replace(/\(([^)]*)\)/g, (m) => m.replace(/\s*\n\s*/g, ' ')).split('\n');
  for (const line of statements) {
    const plain = /^\s*import\s+([\w.]+)\s+as\s+(\w+)\s*(?:#.*)?$/.exec(line);
    if (plain?.[1] && plain[2]) aliases.set(plain[2], { module: null, name: plain[1].split('.').pop() ?? '' });
    const from = /^\s*from\s+([\w.]+)\s+import\s+\(?([^)#]*)/.exec(line);
    if (!from?.[1] || !from[2]) continue;
    const module = from[1].split('.').pop() || null;
    for (const item of from[2].split(',')) {
      const m = /^\s*(\w+)\s+as\s+(\w+)\s*$/.exec(item);
      if (m?.[1] && m[2]) aliases.set(m[2], { module, name: m[1] });
    }
  }
  return aliases;
}

/**
 * The health route with the prefixes of the router or blueprint that serves it: its own
 * (`APIRouter(prefix=...)`, `Blueprint(url_prefix=...)`) and every mount above it
 * (`include_router(x.router, prefix=...)` on a router that is itself included), matched by the
 * router's name (and its module's name for `module.router`). A prefix given by name is read from
 * the literal the name is assigned (a settings default); when it cannot be, the route is not claimed.
 */
export function healthPath(files: PyFile[], at: (f: string) => string): Fact<string> | undefined {
  const found: Array<Candidate<string>> = [];
  const mounts: Mount[] = [];
  const own = new Map<string, string>();
  for (const file of files) {
    const module = moduleOf(file.path);
    const aliases = importAliases(file.text);
    for (const line of file.text.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      const o = OWN_PREFIX.exec(line);
      if (o?.[1]) own.set(`${module}.${o[1]}`, /\b(?:url_)?prefix\s*=\s*['"]([^'"]*)['"]/.exec(o[2] ?? '')?.[1] ?? '');
      const m = MOUNT.exec(line);
      if (!m?.[1] || !m[2]) continue;
      const parts = m[2].split('.');
      const arg = PREFIX_ARG.exec(m[3] ?? '');
      const named = arg?.[2];
      const prefix = !arg ? '' : arg[1] !== undefined ? arg[1] : named ? constantValue(files, named.split('.').pop() ?? '') : null;
      const name = parts[parts.length - 1] ?? '';
      const childModule = parts.length > 1 ? (parts[parts.length - 2] ?? null) : null;
      // An alias stands for what it imports: `utils_routes.router` is utils's router, `utils_router` is it too.
      const viaModule = childModule === null ? undefined : aliases.get(childModule);
      const viaName = childModule === null ? aliases.get(name) : undefined;
      if (viaModule) mounts.push({ module, parent: m[1], name, childModule: viaModule.name, prefix });
      else if (viaName) mounts.push({ module, parent: m[1], name: viaName.name, childModule: viaName.module, prefix });
      else mounts.push({ module, parent: m[1], name, childModule, prefix });
    }
  }
  /** The full prefix of `obj` defined in `module`: '' when nothing mounts it, null when a mount's prefix is unknown. */
  const prefixOf = (module: string, obj: string, depth: number): string | null => {
    const mine = own.get(`${module}.${obj}`) ?? '';
    if (depth > 8) return mine;
    const mount = mounts.find((mt) => mt.name === obj && (mt.childModule === null || mt.childModule === module) && !(mt.module === module && mt.parent === obj));
    if (!mount) return mine;
    if (mount.prefix === null) return null;
    const above = prefixOf(mount.module, mount.parent, depth + 1);
    return above === null ? null : joinPath(above, mount.prefix, mine);
  };
  for (const file of files) {
    const module = moduleOf(file.path);
    file.text.split('\n').forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      const add = (value: string) => found.push({ value, rank: healthRank(value), evidence: at(codeEvidence(file.path, i + 1, line)) });
      const d = DECORATOR.exec(line);
      if (d?.[2]) {
        const prefix = prefixOf(module, d[1] ?? '', 0);
        if (prefix !== null) add(prefix === '/' || prefix === '' ? d[2] : joinPath(prefix, d[2]) + (d[2].endsWith('/') ? '/' : ''));
      }
      const root = ROOT_DECORATOR.exec(line);
      if (root?.[1]) {
        const prefix = prefixOf(module, root[1], 0);
        if (prefix && HEALTH_PREFIX.test(prefix)) add(prefix + root[2]);
      }
      for (const pattern of HEALTH_PATTERNS) {
        // The path is each pattern's last group.
        const path = pattern.exec(line)?.slice(-1)[0];
        if (path) add(path);
      }
      const django = DJANGO_HEALTH.exec(line);
      if (django?.[1]) add(`/${django[1]}`);
    });
  }
  const top = best(found);
  return top && { value: top.value, evidence: top.evidence };
}
