// The pod template every workload embeds: defaulted and validated by core/v1's own rules, so a
// Deployment's pods are checked exactly as a bare Pod would be.
import type { FieldError } from '../../../machinery/status.js';
import { defaultPersistentVolumeClaimSpec, defaultPodTemplateSpec } from '../../core/v1/pod-defaults.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';

export function defaultTemplate(tpl: unknown): void {
  defaultPodTemplateSpec(tpl);
}

export function validateTemplate(tpl: unknown, path: string): FieldError[] {
  return validatePodTemplateSpec(tpl, path);
}

export { defaultPersistentVolumeClaimSpec };
