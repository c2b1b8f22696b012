// Removes dist/ before `npm pack` builds it again, so the tarball never ships a stale module
// (a source file deleted since the last build would otherwise linger in dist/).
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
