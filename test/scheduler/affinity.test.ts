// InterPodAffinity and PodTopologySpread: domains, counts, skew, minDomains, policies, and the
// messages kube-scheduler gives when they keep a pod out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './harness.js';
import { makeNode, makePod } from './helpers.js';
import type { Pod } from '../../src/scheduler/types.js';

const zones = () => new Harness()
  .addNode(makeNode('a1', { labels: { 'topology.kubernetes.io/zone': 'a' } }))
  .addNode(makeNode('a2', { labels: { 'topology.kubernetes.io/zone': 'a' } }))
  .addNode(makeNode('b1', { labels: { 'topology.kubernetes.io/zone': 'b' } }))
  .addNode(makeNode('c1', { labels: { 'topology.kubernetes.io/zone': 'c' } }));

const antiAffinity = (name: string, app: string, topologyKey = 'kubernetes.io/hostname'): Pod => makePod(name, { labels: { app }, spec: {
  affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey }] } },
} });

test('required anti-affinity puts replicas on different nodes until none is left', () => {
  const h = zones();
  const seen = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const node = h.scheduleAndAssume(antiAffinity(`web-${i}`, 'web'));
    assert.ok(node && !seen.has(node), `replica ${i} went to ${node}`);
    seen.add(node);
  }
  assert.equal(h.schedule(antiAffinity('web-4', 'web')).message, "0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules.");
});

test('existing pods\' anti-affinity keeps matching newcomers out of their domain', () => {
  const h = zones();
  h.addPod(antiAffinity('loner', 'db', 'topology.kubernetes.io/zone'), 'b1');
  const r = h.schedule(makePod('p', { labels: { app: 'db' }, spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'b' } } }));
  assert.equal(r.message, "0/4 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, 3 node(s) didn't match Pod's node affinity/selector.");
  assert.ok(h.schedule(makePod('q', { labels: { app: 'other' }, spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'b' } } })).node);
});

test('required affinity goes where matching pods are; the first of a group may start anywhere', () => {
  const h = zones();
  const withCache = (name: string) => makePod(name, { labels: { app: 'web' }, spec: {
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' }] } },
  } });
  assert.equal(h.schedule(withCache('w0')).message, "0/4 nodes are available: 4 node(s) didn't match pod affinity rules.");
  h.addPod(makePod('cache', { labels: { app: 'cache' } }), 'a2');
  for (let i = 0; i < 5; i++) assert.match(h.scheduleAndAssume(withCache(`w${i}`))!, /^a/);
  const self = (name: string) => makePod(name, { labels: { app: 'ring' }, spec: {
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'ring' } }, topologyKey: 'topology.kubernetes.io/zone' }] } },
  } });
  const first = h.scheduleAndAssume(self('r0'))!;
  const zone = first[0];
  for (let i = 1; i < 4; i++) assert.equal(h.scheduleAndAssume(self(`r${i}`))![0], zone);
});

test('anti-affinity terms only see pods of the namespaces they name', () => {
  const h = zones();
  h.addPod(makePod('other-ns', { ns: 'team-b', labels: { app: 'web' } }), 'a1');
  const p = antiAffinity('p', 'web');
  p.spec.nodeSelector = { 'kubernetes.io/hostname': 'a1' };
  assert.equal(h.schedule(p).node, 'a1');
  p.spec.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0].namespaces = ['team-b'];
  assert.match(h.schedule(p).message!, /1 node\(s\) didn't match pod anti-affinity rules/);
  h.set({ kind: 'Namespace', metadata: { name: 'team-b', labels: { team: 'b' } } });
  p.spec.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0] = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', namespaceSelector: { matchLabels: { team: 'b' } } };
  assert.match(h.schedule(p).message!, /1 node\(s\) didn't match pod anti-affinity rules/);
});

test('preferred anti-affinity scores nodes without matching pods higher', () => {
  const h = zones();
  h.addPod(makePod('x', { labels: { app: 'web' } }), 'a1');
  const p = makePod('p', { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'topology.kubernetes.io/zone' } },
  ] } } } });
  const s = h.scores(p);
  assert.ok(s.get('b1')! > s.get('a1')! && s.get('b1')! > s.get('a2')!, String([...s]));
});

const spread = (name: string, maxSkew = 1, extra: Record<string, unknown> = {}): Pod => makePod(name, { labels: { app: 'api' }, spec: {
  topologySpreadConstraints: [{ maxSkew, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } }, ...extra }],
} });

test('topology spread keeps zones within maxSkew of each other', () => {
  const h = zones();
  const perZone: Record<string, number> = {};
  for (let i = 0; i < 9; i++) {
    const node = h.scheduleAndAssume(spread(`api-${i}`))!;
    perZone[node[0]] = (perZone[node[0]] ?? 0) + 1;
  }
  assert.deepEqual(perZone, { a: 3, b: 3, c: 3 });
  const pinned = spread('api-x');
  pinned.spec.nodeSelector = { 'topology.kubernetes.io/zone': 'a' };
  // With nodeAffinityPolicy Honor only zone a counts as a domain, so the skew stays 0 there.
  assert.ok(h.schedule(pinned).node);
  const ignoring = spread('api-y', 1, { nodeAffinityPolicy: 'Ignore' });
  ignoring.spec.nodeSelector = { 'topology.kubernetes.io/zone': 'a' };
  h.scheduleAndAssume(spread('api-9'));
  h.scheduleAndAssume(spread('api-10'));
  assert.equal(h.schedule(ignoring).message,
    "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) didn't match pod topology spread constraints.");
});

test('topology spread: nodes without the key are out; minDomains counts missing domains as empty', () => {
  const h = zones().addNode(makeNode('nolabel'));
  const p = spread('p');
  p.spec.nodeSelector = { 'kubernetes.io/hostname': 'nolabel' };
  assert.match(h.schedule(p).message!, /1 node\(s\) didn't match pod topology spread constraints \(missing required label\)/);
  // minDomains 4 with only 3 zones: the global minimum is 0, so each zone takes at most maxSkew pods.
  const placed = [];
  for (let i = 0; i < 3; i++) placed.push(h.scheduleAndAssume(spread(`m${i}`, 1, { minDomains: 4 })));
  assert.ok(placed.every(Boolean));
  assert.match(h.schedule(spread('m3', 1, { minDomains: 4 })).message!, /4 node\(s\) didn't match pod topology spread constraints/);
});

test('ScheduleAnyway prefers the emptier domain without refusing any', () => {
  const h = zones();
  h.addPod(makePod('x', { labels: { app: 'api' } }), 'a1');
  h.addPod(makePod('y', { labels: { app: 'api' } }), 'a2');
  const p = makePod('p', { labels: { app: 'api' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'api' } } }] } });
  const s = h.scores(p);
  assert.equal(s.size, 4);
  assert.ok(s.get('b1')! > s.get('a1')!, String([...s]));
});
