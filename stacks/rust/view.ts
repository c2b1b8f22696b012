/** A Rust service's template data: the binary, its images, its probe. */
import type { ServiceConfig } from '../../src/config/types.js';
import { DISTROLESS_CC_IMAGE, DISTROLESS_NONROOT, RUST_DEFAULT, rustImage } from '../../src/versions.js';
import { inDir, probeForms } from '../shared.js';
import type { Probe, ServiceDirs, StackView } from '../types.js';
import type { RustStackView } from './types.js';

const RUST_PROBE_PATH = '/usr/local/bin/healthcheck';

/** A std-only Rust program built beside the app: distroless has no shell, curl or wget. */
export function rustProbe(): Probe {
  return probeForms([RUST_PROBE_PATH], RUST_PROBE_PATH);
}

/**
 * The probe's source, one printf argument per line: no single quotes (so no char literals).
 * Without a route it only connects; with one it sends a GET and wants a 2xx status line.
 */
function rustProbeLines(port: number, healthPath: string | undefined): string[] {
  const head = [
    'use std::io::{Read, Write};',
    'use std::net::{SocketAddr, TcpStream};',
    'use std::time::Duration;',
    'fn check(port: &str) -> std::io::Result<bool> {',
    'let addr: SocketAddr = format!("127.0.0.1:{}", port).parse().map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;',
    'let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(4))?;',
  ];
  const body =
    healthPath === undefined
      ? ['let _ = &mut stream;', 'Ok(true)']
      : [
          'stream.set_read_timeout(Some(Duration::from_secs(4)))?;',
          `stream.write_all(b"GET ${healthPath} HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")?;`,
          // "HTTP/1.1 200": the status class is byte 9; 50 is ASCII 2.
          'let mut status = [0u8; 12];',
          'stream.read_exact(&mut status)?;',
          'Ok(status.starts_with(b"HTTP/1.") && status[9] == 50)',
        ];
  return [
    ...head,
    ...body,
    '}',
    'fn main() {',
    `let port = std::env::var("PORT").unwrap_or_else(|_| "${port}".to_string());`,
    'std::process::exit(if let Ok(true) = check(&port) { 0 } else { 1 });',
    '}',
  ];
}

export function rustView(s: ServiceConfig, { dir }: ServiceDirs): StackView {
  const languageVersion = s.languageVersion ?? RUST_DEFAULT;
  const words = (s.start ?? s.name).split(/ +/);
  const binary = words[0] ?? s.name;
  const rust: RustStackView = {
    binary,
    binaryPath: `/usr/local/bin/${binary}`,
    args: words.length > 1 ? JSON.stringify(words.slice(1)) : null,
    probeLines: rustProbeLines(s.port, s.healthPath),
    probePath: RUST_PROBE_PATH,
    tini: '/usr/local/bin/tini',
    rocket: s.framework === 'rocket',
    user: DISTROLESS_NONROOT,
  };
  return {
    testJob: true,
    languageVersion,
    baseImage: rustImage(languageVersion),
    runtimeImage: DISTROLESS_CC_IMAGE,
    lockfilePath: inDir(dir, 'Cargo.lock'),
    ciCacheFiles: [inDir(dir, 'Cargo.toml'), inDir(dir, 'Cargo.lock')],
    imageSummary: `a release Rust ${languageVersion} binary on distroless cc`,
    runsAs: `distroless's unprivileged \`nonroot\` user (uid ${DISTROLESS_NONROOT.split(':')[0]})`,
    user: DISTROLESS_NONROOT,
    tiniNeeded: true,
    rust,
  };
}
