// The main job on the bundled example: copy examples/express-api into .example-run/, make it a
// git repository, run `create-deploy-kit --yes` there, and list what it wrote.
import { execFileSync, execSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

execSync('node scripts/ensure-deps.mjs', { stdio: 'inherit' });
execSync('npm run build --silent', { stdio: 'inherit' });

const dest = join('.example-run', 'express-api');
rmSync(dest, { recursive: true, force: true });
cpSync(join('examples', 'express-api'), dest, { recursive: true, filter: (src) => !src.includes('node_modules') });
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dest });

console.log(`$ npx create-deploy-kit --yes   (in ${dest})\n`);
execFileSync(process.execPath, [join(process.cwd(), 'bin', 'create-deploy-kit.cjs'), '--yes'], { cwd: dest, stdio: 'inherit' });

const walk = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === '.git' || f === 'node_modules') return [];
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
console.log(`\nThe repository now holds (${dest}):`);
for (const f of walk(dest).sort()) console.log(`  ${relative(dest, f)}`);
console.log(`\nRead ${join(dest, 'DEPLOY.md')} next; build it with: docker compose -f ${join(dest, 'compose.yaml')} up --build`);
