// What generate, plan and check load once their flags are parsed, as one module: a single
// import() is a single boundary in the bundle (four imports made the bundler cut more chunks).
export { applyAndReport, driftOf, pendingNote, planChanges } from '../regenerate.js';
export { readConfig, repairInterruptedApply, repoRoot } from '../repo.js';
export { summarize } from '../output.js';
export { upgradeNote } from '../../config/kit-version.js';
