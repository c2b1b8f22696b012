import type { DeployKitConfig, ServiceConfig, TargetConfig } from '../config/types.js';

/** The config's target of a type, typed as that target. */
export function targetOf<T extends TargetConfig['type']>(config: Pick<DeployKitConfig, 'targets'>, type: T): Extract<TargetConfig, { type: T }> | undefined {
  return config.targets.find((t): t is Extract<TargetConfig, { type: T }> => t.type === type);
}

/**
 * The service a target deploys: the one its `service:` names (undefined when that names none,
 * which the target's refusals report), else the first that `fits`, else the first service (so a
 * refusal can say why it does not fit).
 *
 * @example
 *   targetService(config, { service: 'api' })            // the service named api, or undefined
 *   targetService(config, {}, (s) => s.stack === 'go')    // the first Go service, else services[0]
 */
export function targetService(
  config: Pick<DeployKitConfig, 'services'>,
  target: { service?: string | undefined },
  fits: (s: ServiceConfig) => boolean = () => true,
): ServiceConfig | undefined {
  if (target.service) return config.services.find((s) => s.name === target.service);
  return config.services.find(fits) ?? config.services[0];
}
