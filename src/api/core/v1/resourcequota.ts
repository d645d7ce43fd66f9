// core/v1 ResourceQuota: caps on what a namespace may consume, in total and by object count.
import { list, obj, str, enumOf, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { canonicalQuantity } from '../../../machinery/quantity.js';
import type { ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn, resourceList } from './common.js';
import { arr, isObj, validateResourceName, validateResourceQuantity, type O } from './validation.js';
import { defaultResourceList } from './resource-list.js';

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

export const definitions: Record<string, Schema> = {
  [core('ResourceQuota')]: kindObj('', 'ResourceQuota', {
    spec: cref('ResourceQuotaSpec', 'The limits.'),
    status: cref('ResourceQuotaStatus', 'The limits enforced and the current usage; read-only.'),
  }, 'Limits the total resources and object counts of a namespace.'),
  [core('ResourceQuotaSpec')]: obj({
    hard: resourceList('The limit for each named resource, e.g. requests.cpu, pods, count/deployments.apps.'),
    scopes: list(enumOf(SCOPES), 'Only objects in all these scopes are counted.'),
    scopeSelector: cref('ScopeSelector', 'Only objects matching these scope expressions are counted.'),
  }, 'The desired limits of a quota.'),
  [core('ScopeSelector')]: obj({
    matchExpressions: list(cref('ScopedResourceSelectorRequirement'), 'Requirements, ANDed.'),
  }, { description: 'Selects the objects a quota counts by scope.', 'x-kubernetes-map-type': 'atomic' }),
  [core('ScopedResourceSelectorRequirement')]: obj({
    scopeName: enumOf(SCOPES, 'The scope.'),
    operator: enumOf(['DoesNotExist', 'Exists', 'In', 'NotIn'], 'In, NotIn, Exists or DoesNotExist.'),
    values: list(str(), 'Values for In and NotIn.'),
  }, { description: 'A scope, an operator and values.', required: ['scopeName', 'operator'] }),
  [core('ResourceQuotaStatus')]: obj({
    hard: resourceList('The limits enforced.'),
    used: resourceList('Current usage in the namespace.'),
  }, 'Enforced limits and usage of a quota.'),
};

/** Resource names a quota may limit without a domain prefix. */
const STANDARD_QUOTA = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage', 'storage', 'requests.cpu', 'requests.memory',
  'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const isStandardQuota = (n: string) => STANDARD_QUOTA.has(n) || n.startsWith('requests.hugepages-') || n.startsWith('hugepages-');

function validateQuota(rq: O): FieldError[] {
  const spec: O = isObj(rq.spec) ? rq.spec : {};
  const errs: FieldError[] = [];
  const hard: O = isObj(spec.hard) ? spec.hard : {};
  for (const [k, v] of Object.entries(hard)) {
    const p = `spec.hard[${k}]`;
    const nameErrs = validateResourceName(k, p);
    errs.push(...nameErrs);
    if (!nameErrs.length && !k.includes('/') && !isStandardQuota(k)) errs.push(field.invalid(p, k, 'must be a standard resource for quota'));
    validateResourceQuantity(k, v, p, errs);
  }
  const scopes = arr(spec.scopes);
  for (const s of scopes) if (!SCOPES.includes(s)) errs.push(field.invalid('spec.scopes', scopes, 'unsupported scope'));
  const has = (s: string) => scopes.includes(s);
  if ((has('BestEffort') && has('NotBestEffort')) || (has('Terminating') && has('NotTerminating'))) {
    errs.push(field.invalid('spec.scopes', scopes, 'conflicting scopes'));
  }
  if (isObj(spec.scopeSelector)) {
    arr(spec.scopeSelector.matchExpressions).forEach((r: O, i) => {
      const p = `spec.scopeSelector.matchExpressions[${i}]`;
      if (!isObj(r)) return;
      if (!SCOPES.includes(r.scopeName)) errs.push(field.invalid(`${p}.scopeName`, r.scopeName ?? '', 'unsupported scope'));
      const values = arr(r.values);
      switch (r.operator) {
        case 'In': case 'NotIn':
          if (values.length === 0) errs.push(field.required(`${p}.values`, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
          break;
        case 'Exists': case 'DoesNotExist':
          if (values.length) errs.push(field.invalid(`${p}.values`, values, 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
          break;
        default:
          errs.push(field.invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'));
      }
    });
  }
  return errs;
}

const qty = (v: unknown): string => {
  if (v === undefined || v === null) return '0';
  try { return canonicalQuantity(v as string | number); } catch { return String(v); }
};

/** REQUEST and LIMIT cells: "resource: used/hard" pairs, limits.* in LIMIT, everything else in REQUEST. */
export function quotaCells(status: unknown): { request: string; limit: string } {
  const s: O = isObj(status) ? status : {};
  const hard: O = isObj(s.hard) ? s.hard : {};
  const used: O = isObj(s.used) ? s.used : {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${qty(used[name])}/${qty(hard[name])}`;
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(cell);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

export const resourceQuotas: ResourceDef = {
  group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', singular: 'resourcequota', namespaced: true,
  shortNames: ['quota'], schemaName: core('ResourceQuota'),
  subresources: { status: true },
  tracksGeneration: false,
  prepareForCreate(rq) {
    rq.status = {};
  },
  defaults(rq) {
    if (isObj(rq.spec)) defaultResourceList(rq.spec.hard);
    if (isObj(rq.status)) {
      defaultResourceList(rq.status.hard);
      defaultResourceList(rq.status.used);
    }
  },
  validate: (rq) => validateQuota(rq),
  columns: [
    nameColumn,
    ageColumn,
    col('Request', 'string', 'Usage and limit of each resource that is not a limits.* one.'),
    col('Limit', 'string', 'Usage and limit of each limits.* resource.'),
  ],
  row(rq, now) {
    const { request, limit } = quotaCells(rq.status);
    return [rq.metadata.name, age(rq.metadata.creationTimestamp, now), request, limit];
  },
};
