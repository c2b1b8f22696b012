/** The Python stack: ASGI and WSGI apps, Streamlit, Gradio and plain scripts, each installed by its own package manager. */
import { stackTemplate } from '../templates.js';
import type { Stack } from '../types.js';
import { pythonConfig, pythonDeployable, pythonLanguageVersion, pythonQuestions } from './config.js';
import { detectPython } from './detect.js';
import type { PythonFacts } from './types.js';
import { pythonProbe, pythonView } from './view.js';

export const python: Stack<PythonFacts> = {
  id: 'python',
  manifests: ['pyproject.toml', 'requirements.txt', 'Pipfile'],
  detect: (root, path) => detectPython(root, path),
  deployable: pythonDeployable,
  questions: pythonQuestions,
  languageVersion: pythonLanguageVersion,
  toConfig: pythonConfig,
  runtime: () => 'python',
  probe: pythonProbe,
  view: pythonView,
  dockerfile: () => stackTemplate('python', 'Dockerfile.hbs'),
};
