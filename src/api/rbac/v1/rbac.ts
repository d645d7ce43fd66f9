// rbac.authorization.k8s.io/v1: Roles and ClusterRoles (sets of permissions) and the bindings that
// grant them to users, groups and service accounts.
import { list, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Subdomain } from '../../../machinery/names.js';
import { META } from '../../meta/v1.js';
import { age } from '../../printers.js';
import type { KObject, ResourceDef } from '../../resource.js';
import {
  ageColumn, arr, col, createdAt, createdAtColumn, invalidRaw, isObj, kindSchema, nameColumn, o, pathSegmentErrors,
  validateLabelSelector, type Obj,
} from '../../apps/v1/common.js';

const R = 'io.k8s.api.rbac.v1';
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const ROLE = `${R}.Role`;
export const CLUSTER_ROLE = `${R}.ClusterRole`;
export const ROLE_BINDING = `${R}.RoleBinding`;
export const CLUSTER_ROLE_BINDING = `${R}.ClusterRoleBinding`;

/**
 * RBAC object names are URL path segments, not DNS names: `system:controller:job-controller` is
 * valid. The registry should validate metadata.name of the four RBAC kinds with this.
 */
export const validateRBACName = (name: string): string[] => pathSegmentErrors(name);

const rules = list(ref(`${R}.PolicyRule`), 'The permissions granted.');
const subjects = list(ref(`${R}.Subject`), 'Who is granted the role.');
const roleRef = ref(`${R}.RoleRef`, 'The role granted. Immutable: to change it, delete and recreate the binding.');

export const definitions: Record<string, Schema> = {
  [`${R}.PolicyRule`]: obj({
    verbs: list(str(), 'Verbs allowed: get, list, watch, create, update, patch, delete, deletecollection, or * for all.'),
    apiGroups: list(str(), 'API groups of the resources; "" is the core group, * all.'),
    resources: list(str(), 'Resources, e.g. pods or pods/log; * for all.'),
    resourceNames: list(str(), 'Object names the rule is limited to; empty: all.'),
    nonResourceURLs: list(str(), 'URL paths such as /healthz or /api/*; only in ClusterRoles, and not with resources.'),
  }, { description: 'A permission: verbs on resources (or non-resource URLs).', required: ['verbs'] }),
  [ROLE]: kindSchema(RBAC_GROUP, 'v1', 'Role', { rules }, 'A set of permissions within one namespace.'),
  [CLUSTER_ROLE]: kindSchema(RBAC_GROUP, 'v1', 'ClusterRole', {
    rules: list(ref(`${R}.PolicyRule`), 'The permissions granted; filled by the controller when aggregationRule is set.'),
    aggregationRule: ref(`${R}.AggregationRule`, 'Builds the rules from those of the ClusterRoles matching the selectors.'),
  }, 'A set of permissions, cluster-wide or for any namespace it is bound in.'),
  [`${R}.AggregationRule`]: obj({
    clusterRoleSelectors: list(ref(META.LabelSelector), 'ClusterRoles whose rules are aggregated.'),
  }, 'How an aggregated ClusterRole is built.'),
  [ROLE_BINDING]: kindSchema(RBAC_GROUP, 'v1', 'RoleBinding', { subjects, roleRef },
    'Grants a Role, or a ClusterRole limited to this namespace, to subjects.', ['roleRef']),
  [CLUSTER_ROLE_BINDING]: kindSchema(RBAC_GROUP, 'v1', 'ClusterRoleBinding', { subjects, roleRef },
    'Grants a ClusterRole cluster-wide to subjects.', ['roleRef']),
  [`${R}.Subject`]: obj({
    kind: str('User, Group or ServiceAccount.'),
    apiGroup: str('"" for ServiceAccount, rbac.authorization.k8s.io for User and Group (the default).'),
    name: str('Name of the subject.'),
    namespace: str('Namespace of a ServiceAccount subject.'),
  }, { description: 'A user, group or service account.', required: ['kind', 'name'], 'x-kubernetes-map-type': 'atomic' }),
  [`${R}.RoleRef`]: obj({
    apiGroup: str('API group of the role: rbac.authorization.k8s.io.'),
    kind: str('Role or ClusterRole.'),
    name: str('Name of the role.'),
  }, { description: 'The role a binding grants.', required: ['apiGroup', 'kind', 'name'], 'x-kubernetes-map-type': 'atomic' }),
};

const goStrings = (v: unknown[]): string => `[]string{${v.map((x) => JSON.stringify(String(x))).join(', ')}}`;

function validatePolicyRule(r: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (arr(r.verbs).length === 0) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = arr(r.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) errs.push(invalidRaw(`${path}.nonResourceURLs`, goStrings(urls), 'namespaced rules cannot apply to non-resource URLs'));
    if (arr(r.apiGroups).length > 0 || arr(r.resources).length > 0 || arr(r.resourceNames).length > 0) {
      errs.push(invalidRaw(`${path}.nonResourceURLs`, goStrings(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (arr(r.apiGroups).length === 0) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (arr(r.resources).length === 0) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateSubject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof s.name === 'string' ? s.name : '';
  const apiGroup = typeof s.apiGroup === 'string' ? s.apiGroup : '';
  if (!name) errs.push(field.required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) for (const msg of validateDNS1123Subdomain(name)) errs.push(field.invalid(`${path}.name`, name, msg));
      if (apiGroup) errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(field.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function goRoleRef(r: Obj): string {
  return `rbac.RoleRef{APIGroup:${JSON.stringify(String(r.apiGroup ?? ''))}, Kind:${JSON.stringify(String(r.kind ?? ''))}, Name:${JSON.stringify(String(r.name ?? ''))}}`;
}

function validateBinding(b: KObject, namespaced: boolean, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const rr = o(b.roleRef);
  if (rr.apiGroup !== RBAC_GROUP) errs.push(field.notSupported('roleRef.apiGroup', rr.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(rr.kind)) errs.push(field.notSupported('roleRef.kind', rr.kind ?? '', kinds));
  if (!rr.name) errs.push(field.required('roleRef.name'));
  else for (const msg of validateRBACName(String(rr.name))) errs.push(field.invalid('roleRef.name', rr.name, msg));
  arr(b.subjects).forEach((s, i) => errs.push(...validateSubject(o(s), namespaced, `subjects[${i}]`)));
  if (old) {
    const orr = o(old.roleRef);
    if (orr.apiGroup !== rr.apiGroup || orr.kind !== rr.kind || orr.name !== rr.name) errs.push(invalidRaw('roleRef', goRoleRef(rr), 'cannot change roleRef'));
  }
  return errs;
}

function defaultBinding(b: KObject): void {
  const rr = (b.roleRef ??= {}) as Obj;
  if (!rr.apiGroup) rr.apiGroup = RBAC_GROUP;
  for (const s of arr(b.subjects)) {
    if (!isObj(s) || s.apiGroup) continue;
    // Go leaves the empty group out (omitempty); writing "" makes every apply of the binding differ from it.
    if (s.kind === 'ServiceAccount') delete s.apiGroup;
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

/** USERS, GROUPS, SERVICEACCOUNTS cells: names joined by ", "; service accounts as namespace/name. */
function subjectCells(subjects: unknown): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr(subjects).map(o)) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name ?? ''}`);
    else if (s.kind === 'User') users.push(s.name ?? '');
    else if (s.kind === 'Group') groups.push(s.name ?? '');
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

const bindingColumns = [
  nameColumn,
  col('Role', 'string', 'Role of the binding.'),
  ageColumn,
  col('Users', 'string', 'Users in the binding.', 1),
  col('Groups', 'string', 'Groups in the binding.', 1),
  col('ServiceAccounts', 'string', 'ServiceAccounts in the binding.', 1),
];

const bindingRow = (b: KObject, now: number) => {
  const rr = o(b.roleRef);
  return [b.metadata.name, `${rr.kind ?? ''}/${rr.name ?? ''}`, age(b.metadata.creationTimestamp, now), ...subjectCells(b.subjects)];
};

// RBAC names are path segments: `system:controller:job-controller` is valid.
const rbacResource = { group: RBAC_GROUP, version: 'v1', tracksGeneration: false, nameValidator: validateRBACName } as const;

export const roles: ResourceDef = {
  ...rbacResource, kind: 'Role', plural: 'roles', singular: 'role', namespaced: true, schemaName: ROLE,
  validate: (r) => arr(r.rules).flatMap((rule, i) => validatePolicyRule(o(rule), true, `rules[${i}]`)),
  columns: [nameColumn, createdAtColumn],
  row: (r) => [r.metadata.name, createdAt(r.metadata.creationTimestamp)],
};

export const clusterRoles: ResourceDef = {
  ...rbacResource, kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', namespaced: false, schemaName: CLUSTER_ROLE,
  validate(cr) {
    const errs = arr(cr.rules).flatMap((rule, i) => validatePolicyRule(o(rule), false, `rules[${i}]`));
    if (cr.aggregationRule != null) {
      const sels = arr(o(cr.aggregationRule).clusterRoleSelectors);
      if (sels.length === 0) errs.push(field.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
      sels.forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
    }
    return errs;
  },
  columns: [nameColumn, createdAtColumn],
  row: (r) => [r.metadata.name, createdAt(r.metadata.creationTimestamp)],
};

export const roleBindings: ResourceDef = {
  ...rbacResource, kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', namespaced: true, schemaName: ROLE_BINDING,
  defaults: defaultBinding,
  validate: (b, { old }) => validateBinding(b, true, old),
  columns: bindingColumns,
  row: bindingRow,
};

export const clusterRoleBindings: ResourceDef = {
  ...rbacResource, kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, schemaName: CLUSTER_ROLE_BINDING,
  defaults: defaultBinding,
  validate: (b, { old }) => validateBinding(b, false, old),
  columns: bindingColumns,
  row: bindingRow,
};
