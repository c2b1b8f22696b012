// Prints the base images the e2e tier builds from, for the container-engine setup in .ci/run:
// the current LTS image and the one the bundled example's .nvmrc asks for.
import { readFileSync } from 'node:fs';
import { NODE_LTS_MAJOR, nodeImage } from '../dist/src/versions.js';

const exampleMajor = readFileSync('examples/express-api/.nvmrc', 'utf8').trim().replace(/^v/, '').split('.')[0];
console.log([...new Set([nodeImage(NODE_LTS_MAJOR), nodeImage(exampleMajor)])].join(' '));
