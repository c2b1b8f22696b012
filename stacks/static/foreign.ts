/**
 * Static site generators deploy-kit does not build (Hugo, Jekyll, MkDocs): their build needs a
 * tool no image of the kit carries. A directory that is one is no service, whatever manifest sits
 * beside it (a package.json for Tailwind, a Gemfile for Jekyll's gems): init says what it found and
 * how to publish it instead of writing a kit that builds something else.
 */
import { join } from 'node:path';
import { atPath, exists, firstExisting, readText } from '../../src/detect/shared.js';

export interface ForeignSite {
  /** Repo-relative directory of the site ("." for the root). */
  path: string;
  generator: 'Hugo' | 'Jekyll' | 'MkDocs';
  /** The file that shows it, repo-relative. */
  evidence: string;
  /**
   * True when the site is what the directory is, whatever else detection finds there (Hugo's
   * package.json for Tailwind); false when a service there wins (an app documented with MkDocs).
   */
  overrides: boolean;
  /** How the site is built, and where the files land. */
  build: string;
  output: string;
}

const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json'];
/** Hugo's older config names are too common to prove anything alone: a `baseURL` and a content or layouts directory beside it do. */
const OLD_HUGO_CONFIGS = ['config.toml', 'config.yaml', 'config.yml'];

/**
 * The generator of the site at `root/path`, or undefined when none of these is there.
 *
 * @example
 *   await detectForeignSite('/repo', 'docs')
 *   // { path: 'docs', generator: 'Hugo', evidence: 'docs/hugo.toml', build: 'hugo --minify', output: 'public' }
 */
export async function detectForeignSite(root: string, path: string): Promise<ForeignSite | undefined> {
  const dir = join(root, path);
  const at = atPath(path);
  const hugo = await firstExisting(dir, HUGO_CONFIGS);
  if (hugo) return { path, generator: 'Hugo', evidence: at(hugo), build: 'hugo --minify', output: 'public', overrides: true };
  const old = await firstExisting(dir, OLD_HUGO_CONFIGS);
  if (old) {
    const text = (await readText(join(dir, old))) ?? '';
    const content = (await exists(join(dir, 'content'))) || (await exists(join(dir, 'layouts')));
    if (/^\s*baseurl\s*[:=]/im.test(text) && content) {
      return { path, generator: 'Hugo', evidence: `${at(old)} (baseURL) and ${at('content')}/`, build: 'hugo --minify', output: 'public', overrides: true };
    }
  }
  if (await exists(join(dir, '_config.yml'))) {
    const gemfile = (await readText(join(dir, 'Gemfile'))) ?? '';
    const jekyllGem = /^\s*gem\s+['"](?:jekyll|github-pages)['"]/m.test(gemfile);
    const layout = (await firstExisting(dir, ['_layouts', '_posts'])) ?? '';
    if (jekyllGem || layout) {
      const why = jekyllGem ? `${at('_config.yml')} and the jekyll gem in ${at('Gemfile')}` : `${at('_config.yml')} and ${at(layout)}/`;
      return { path, generator: 'Jekyll', evidence: why, build: 'bundle exec jekyll build', output: '_site', overrides: true };
    }
  }
  if (await exists(join(dir, 'mkdocs.yml'))) return { path, generator: 'MkDocs', evidence: at('mkdocs.yml'), build: 'mkdocs build', output: 'site', overrides: false };
  return undefined;
}

/** What init says about such a site: what it is, where, and how to publish it. */
export function foreignSiteMessage(site: ForeignSite): string {
  const where = site.path === '.' ? 'the repository root' : site.path;
  return (
    `${where} is a ${site.generator} site (${site.evidence}); deploy-kit builds sites with Node or Bun (Vite, Astro, Docusaurus, ` +
    `VitePress, Eleventy...), not ${site.generator}, so it writes no kit for it. Build it with \`${site.build}\` (the files land in ` +
    `${site.output}/) and publish that directory with your host's ${site.generator} support (GitHub Pages, Netlify), or a Dockerfile ` +
    `of your own that runs the build and copies ${site.output}/ into nginx`
  );
}
