/** The Ruby stack: Rails, Sinatra, Hanami and Rack apps under Puma, and plain Ruby programs, installed by Bundler. */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { rubyConfig, rubyDeployable, rubyLanguageVersion, rubyQuestions } from './config.js';
import { detectRuby } from './detect.js';
import type { RubyFacts } from './types.js';
import { rubyProbe, rubyView } from './view.js';

export const ruby: Stack<RubyFacts> = {
  id: 'ruby',
  manifests: ['Gemfile'],
  detect: (root, path) => detectRuby(root, path),
  deployable: rubyDeployable,
  questions: rubyQuestions,
  languageVersion: rubyLanguageVersion,
  toConfig: (facts, base, answers) => rubyConfig(facts, base, answers),
  runtime: () => 'ruby',
  probe: rubyProbe,
  view: rubyView,
  dockerfile: () => stackTemplate('ruby', 'Dockerfile.hbs'),
};
