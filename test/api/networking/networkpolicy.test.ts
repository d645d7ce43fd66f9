import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, cells, create, def, NOW } from '../apps/helpers.js';

const policies = def('networking.k8s.io', 'networkpolicies');

const policy = (spec: any): any => ({ metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(3) }, spec });

test('networkpolicy defaults: policyTypes from the rules, port protocol TCP', () => {
  const ingressOnly = policy({ podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] });
  assert.deepEqual(create(policies, ingressOnly), []);
  assert.deepEqual(ingressOnly.spec.policyTypes, ['Ingress']);
  assert.equal(ingressOnly.spec.ingress[0].ports[0].protocol, 'TCP');
  const both = policy({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] });
  create(policies, both);
  assert.deepEqual(both.spec.policyTypes, ['Ingress', 'Egress']);
  const given = policy({ podSelector: {}, policyTypes: ['Egress'] });
  create(policies, given);
  assert.deepEqual(given.spec.policyTypes, ['Egress']);
});

test('networkpolicy validation: peers, ports, CIDRs, policy types', () => {
  const p = policy({
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{
      from: [{}, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24', '10.1.0.0/24'] }, podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/33' } }],
      ports: [{ port: 'web', endPort: 90 }, { port: 8080, endPort: 80, protocol: 'ICMP' }],
    }],
    policyTypes: ['Ingress', 'Sideways'],
  });
  assert.deepEqual(create(policies, p), [
    'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    'spec.ingress[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    'spec.ingress[0].ports[1].endPort: Invalid value: 8080: must be greater than or equal to `port`',
    'spec.ingress[0].from[0]: Required value: must specify a peer',
    'spec.ingress[0].from[1].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
    'spec.ingress[0].from[2].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]);
  const v6 = policy({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }] });
  assert.deepEqual(create(policies, v6), []);
});

test('networkpolicy printer: POD-SELECTOR, <none> when it selects every pod', () => {
  const p = policy({ podSelector: { matchLabels: { app: 'db' } } });
  assert.deepEqual(cells(policies, p, NOW), { Name: 'p', 'Pod-Selector': 'app=db', Age: '3s' });
  assert.equal(cells(policies, policy({ podSelector: {} }), NOW)['Pod-Selector'], '<none>');
  assert.deepEqual(policies.shortNames, ['netpol']);
});
