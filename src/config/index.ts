export * from './types.js';
export { parseConfig, ConfigError, formatIssue, displayPath, closest, configSchema, type ConfigIssue, type ParsedConfig } from './load.js';
export { renderNewConfig, updateConfig } from './write.js';
