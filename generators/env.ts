import type { Generator } from './types.js';

/** .env.example: every variable the app and the kit read, grouped, described, no real values. */
export const envExample: Generator = {
  name: 'env',
  description: '.env.example documenting every environment variable',
  when: () => true,
  actions: () => [{ type: 'add', path: '.env.example', templateFile: 'env/.env.example.hbs' }],
  runbook: ['files'],
};
