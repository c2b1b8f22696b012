/** Whether a Java service in a subdirectory belongs to the root's build, which then builds it (Maven's reactor). */
import { join } from 'node:path';
import { codeEvidence, readText } from '../../src/detect/shared.js';

/**
 * Where the root's pom.xml lists `rel` as a module: directly (`<module>app</module>`) or through an
 * aggregator pom between (`<module>services</module>`, then services/pom.xml's `<module>api</module>`).
 */
export async function mavenModule(root: string, rel: string, base = ''): Promise<string | undefined> {
  const pomFile = base ? `${base}/pom.xml` : 'pom.xml';
  const pom = await readText(join(root, pomFile), 1024 * 1024);
  if (pom === undefined) return undefined;
  const lines = pom.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*<!--/.test(lines[i]!)) continue;
    for (const m of lines[i]!.matchAll(/<module>\s*([^<]+?)\s*<\/module>/g)) {
      const name = m[1]!.replace(/^\.\//, '').replace(/\/(?:pom\.xml)?$/, '');
      const path = base ? `${base}/${name}` : name;
      const evidence = codeEvidence(pomFile, i + 1, lines[i]!);
      if (path === rel) return evidence;
      if (rel.startsWith(`${path}/`)) {
        const deeper = await mavenModule(root, rel, path);
        if (deeper) return `${evidence}, ${deeper}`;
      }
    }
  }
  return undefined;
}
