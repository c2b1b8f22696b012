/** The .NET stack: ASP.NET Core projects published by the SDK image, run on the chiseled ASP.NET Core runtime. */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { dotnetConfig, dotnetDeployable, dotnetLanguageVersion, dotnetQuestions } from './config.js';
import { detectDotnet } from './detect.js';
import type { DotnetFacts } from './types.js';
import { dotnetProbe, dotnetView } from './view.js';

export const dotnet: Stack<DotnetFacts> = {
  id: 'dotnet',
  manifests: ['global.json', 'Directory.Build.props'],
  detect: (root, path) => detectDotnet(root, path),
  deployable: dotnetDeployable,
  questions: dotnetQuestions,
  languageVersion: dotnetLanguageVersion,
  toConfig: (facts, base, answers) => dotnetConfig(facts, base, answers),
  runtime: () => 'dotnet',
  probe: dotnetProbe,
  view: dotnetView,
  dockerfile: () => stackTemplate('dotnet', 'Dockerfile.hbs'),
};
