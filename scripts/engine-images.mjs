// Prints the base images the e2e tiers build from, for the container-engine setup in .ci/run:
// the current LTS Node image and the one the bundled example's .nvmrc asks for (e2e.test.ts),
// and every image the per-stack apps build from or run on (e2e-stacks.test.ts: Node LTS for
// Next.js and Vite, nginx, Python, Go and distroless; e2e-more-stacks.test.ts: Bun, Deno, Rust and distroless cc, Ruby,
// the Temurin JDK and JRE, PHP's Apache image and Composer's, Elixir and the Debian slim its releases run on; the Elixir
// image is also gitlab-postgres.test.ts's job and PostgreSQL stand-in), all from the versions table.
import { readFileSync } from 'node:fs';
import {
  BUN_DEFAULT,
  bunImage,
  DENO_DEFAULT,
  defaultOtp,
  ELIXIR_DEFAULT,
  elixirImage,
  elixirRuntimeImage,
  denoImage,
  DISTROLESS_CC_IMAGE,
  DISTROLESS_STATIC_IMAGE,
  GO_DEFAULT,
  goImage,
  NGINX_IMAGE,
  NODE_LTS_MAJOR,
  nodeImage,
  PYTHON_DEFAULT,
  pythonImage,
  RUST_DEFAULT,
  rustImage,
  RUBY_DEFAULT,
  rubyImage,
  JAVA_DEFAULT,
  javaBuildImage,
  javaRuntimeImage,
  PHP_DEFAULT,
  phpApacheImage,
  COMPOSER_IMAGE,
} from '../dist/src/versions.js';

const exampleMajor = readFileSync('examples/express-api/.nvmrc', 'utf8').trim().replace(/^v/, '').split('.')[0];
const images = [
  nodeImage(NODE_LTS_MAJOR),
  nodeImage(exampleMajor),
  NGINX_IMAGE,
  pythonImage(PYTHON_DEFAULT),
  goImage(GO_DEFAULT),
  DISTROLESS_STATIC_IMAGE,
  bunImage(BUN_DEFAULT),
  denoImage(DENO_DEFAULT),
  rustImage(RUST_DEFAULT),
  DISTROLESS_CC_IMAGE,
  rubyImage(RUBY_DEFAULT),
  javaBuildImage(JAVA_DEFAULT),
  javaRuntimeImage(JAVA_DEFAULT),
  phpApacheImage(PHP_DEFAULT),
  COMPOSER_IMAGE,
  elixirImage(ELIXIR_DEFAULT, defaultOtp(ELIXIR_DEFAULT)),
  elixirRuntimeImage(defaultOtp(ELIXIR_DEFAULT)),
];
console.log([...new Set(images)].join(' '));
