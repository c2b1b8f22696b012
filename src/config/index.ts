export * from './types.js';
export { parseConfig, ConfigError, formatIssue, displayPath, configSchema, type ConfigIssue, type ParsedConfig } from './load.js';
export { renderNewConfig, updateConfig } from './write.js';
export { closest } from '../util/closest.js';
