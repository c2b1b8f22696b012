/** Which .dockerignore applies to a Dockerfile's build, as doctor can tell from the repository alone. */

/** The HF Space's Dockerfile: its workflow copies the service's ignore file into the Space as `.dockerignore`. */
const HF_SPACES_DOCKERFILE = 'deploy/hf-spaces/Dockerfile';
const HF_SPACES_COPY = /\bcp\s+(\S+)\s+"\$RUNNER_TEMP\/space\/\.dockerignore"/;

/**
 * The ignore file for `dockerfile` (a repo path) and its text: BuildKit reads `<Dockerfile>.dockerignore`
 * first (a workspace package's or member's, whose context is the workspace root), then the
 * context's own `.dockerignore`, taken to be the Dockerfile's directory, else the repository root.
 * The HF Space's Dockerfile gets the file its workflow copies in. `read` gives null for a missing file.
 */
export function ignoreFileOf(dockerfile: string, read: (rel: string) => string | null): { file: string; text: string | null } {
  const dir = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/') + 1) : '';
  const own = read(`${dockerfile}.dockerignore`);
  if (own !== null) return { file: `${dockerfile}.dockerignore`, text: own };
  const local = read(`${dir}.dockerignore`);
  if (local !== null) return { file: `${dir}.dockerignore`, text: local };
  if (dockerfile === HF_SPACES_DOCKERFILE) {
    const copied = HF_SPACES_COPY.exec(read('.github/workflows/hf-spaces.yml') ?? '')?.[1];
    const text = copied === undefined ? null : read(copied);
    if (copied !== undefined && text !== null) return { file: copied, text };
  }
  return { file: `${dir}.dockerignore`, text: read('.dockerignore') };
}
