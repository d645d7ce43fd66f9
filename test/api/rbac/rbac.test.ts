import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, clone, create, def, NOW, update } from '../apps/helpers.js';
import { validateRBACName } from '../../../src/api/rbac/v1/rbac.js';

const roles = def('rbac.authorization.k8s.io', 'roles');
const clusterRoles = def('rbac.authorization.k8s.io', 'clusterroles');
const bindings = def('rbac.authorization.k8s.io', 'rolebindings');
const clusterBindings = def('rbac.authorization.k8s.io', 'clusterrolebindings');

test('role rules need verbs, api groups and resources; non-resource URLs only in cluster roles', () => {
  const r: any = { metadata: { name: 'reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
  assert.deepEqual(create(roles, r), []);
  r.rules = [{ resources: ['pods'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }];
  assert.deepEqual(create(roles, r), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
  ]);
  const cr: any = { metadata: { name: 'system:health' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }, { nonResourceURLs: ['/x'], resources: ['pods'], verbs: ['get'] }] };
  assert.deepEqual(create(clusterRoles, cr), ['rules[1].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs']);
  assert.deepEqual(create(clusterRoles, { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [] } }), [
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
  assert.deepEqual(validateRBACName('system:controller:job-controller'), []);
  assert.deepEqual(validateRBACName('a/b'), ["may not contain '/'"]);
});

test('binding defaults: roleRef and User/Group subjects get the rbac API group, service accounts none', () => {
  const b: any = {
    metadata: { name: 'read', namespace: 'default' },
    roleRef: { kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'bot', namespace: 'default' }],
  };
  assert.deepEqual(create(bindings, b), []);
  assert.equal(b.roleRef.apiGroup, 'rbac.authorization.k8s.io');
  assert.deepEqual(b.subjects.map((s: any) => s.apiGroup), ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', undefined]);
});

test('binding validation: roleRef kinds, subjects, and roleRef may not change', () => {
  const b: any = { metadata: { name: 'x' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'bot' }, { kind: 'Robot', name: 'r2' }, { kind: 'User', name: '', apiGroup: 'x' }] };
  assert.deepEqual(create(clusterBindings, b), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
    'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    'subjects[2].name: Required value',
    'subjects[2].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
  ]);
  const old: any = { metadata: { name: 'read', namespace: 'default' }, roleRef: { kind: 'Role', name: 'reader' }, subjects: [] };
  create(bindings, old);
  const next = clone(old);
  next.roleRef.name = 'writer';
  assert.deepEqual(update(bindings, next, old), ['roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"writer"}: cannot change roleRef']);
});

test('rbac printers: roles show CREATED AT; bindings ROLE AGE and wide USERS GROUPS SERVICEACCOUNTS', () => {
  const r: any = { metadata: { name: 'reader', namespace: 'default', creationTimestamp: '2024-05-06T07:08:09Z' } };
  assert.deepEqual(cells(roles, r, NOW), { Name: 'reader', 'Created At': '2024-05-06T07:08:09Z' });
  assert.equal(clusterRoles.columns![1].type, 'date');
  const b: any = {
    metadata: { name: 'read', namespace: 'default', creationTimestamp: ago(60) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'User', name: 'joe' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'bot', namespace: 'ci' }],
  };
  assert.deepEqual(cells(bindings, b, NOW), { Name: 'read', Role: 'ClusterRole/view', Age: '60s', Users: 'jane, joe', Groups: 'devs', ServiceAccounts: 'ci/bot' });
  assert.deepEqual(clusterBindings.columns!.filter((c) => c.priority === 1).map((c) => c.name), ['Users', 'Groups', 'ServiceAccounts']);
});
