// A small Deployment-like schema, built with the same builders the real types use, so these tests
// do not depend on the full API definitions.
import {
  any, int32, intOrString, list, mapList, obj, ref, set, str, strMap, type Definitions, type Schema,
} from '../../../src/machinery/schema.js';
import { FieldSet, type ManagedObject } from '../../../src/machinery/apply/index.js';

const META = 'test.ObjectMeta';

export const defs: Definitions = new Map<string, Schema>([
  [META, obj({
    name: str(), namespace: str(), uid: str(), resourceVersion: str(), generation: { type: 'integer' },
    creationTimestamp: str(), labels: strMap(), annotations: strMap(), finalizers: set(str()),
    managedFields: list(any()),
  })],
  ['test.LabelSelector', obj({ matchLabels: strMap() }, { 'x-kubernetes-map-type': 'atomic' })],
  ['test.Container', obj({
    name: str(), image: str(), args: list(str()),
    ports: mapList(obj({ containerPort: int32(), protocol: str({ default: 'TCP' }), name: str() }), ['containerPort', 'protocol']),
    env: mapList(obj({ name: str(), value: str() }), ['name']),
  })],
  ['test.PodSpec', obj({
    containers: mapList(ref('test.Container'), ['name']),
    tolerations: list(obj({ key: str(), operator: str(), effect: str() })),
    nodeSelector: strMap(),
  })],
  ['test.DeploymentSpec', obj({
    replicas: int32(), paused: { type: 'boolean' },
    selector: ref('test.LabelSelector'),
    template: obj({ metadata: ref(META), spec: ref('test.PodSpec') }),
    strategy: obj({ type: str(), rollingUpdate: obj({ maxSurge: intOrString(), maxUnavailable: intOrString() }) }),
  })],
  ['test.Deployment', obj({
    apiVersion: str(), kind: str(), metadata: ref(META), spec: ref('test.DeploymentSpec'),
    status: obj({ replicas: int32(), conditions: mapList(obj({ type: str(), status: str() }), ['type']) }),
  })],
]);

export const deploymentSchema: Schema = defs.get('test.Deployment')!;

export const T0 = '2025-01-01T00:00:00Z';
export const T1 = '2025-01-01T00:01:00Z';
export const T2 = '2025-01-01T00:02:00Z';

type Container = { name: string; image?: string; [k: string]: unknown };

/** The configuration `kubectl apply --server-side` would send for a small nginx Deployment. */
export function nginx(opts: { replicas?: number; containers?: Container[]; labels?: Record<string, string> } = {}): ManagedObject {
  const labels = opts.labels ?? { app: 'nginx' };
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: opts.containers ?? [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
  };
  if (opts.replicas !== undefined) spec.replicas = opts.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default', labels } as ManagedObject['metadata'], spec };
}

/** What the API server adds on create, so later writes see a stored object. */
export function stored<T extends ManagedObject>(obj: T): T {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u-1', resourceVersion: '1', creationTimestamp: T0 } } as T;
}

/** The managers of an object and their operations, in managedFields order. */
export function managersOf(obj: ManagedObject): string[] {
  return (obj.metadata?.managedFields ?? []).map((e) => `${e.manager}/${e.operation}`);
}

/** The member paths one manager owns. */
export function ownedBy(obj: ManagedObject, manager: string, operation = 'Apply'): string[] {
  const e = (obj.metadata?.managedFields ?? []).find((m) => m.manager === manager && m.operation === operation);
  if (!e) return [];
  return fieldsToPaths(e.fieldsV1 ?? {});
}

export function fieldsToPaths(doc: Record<string, unknown>): string[] {
  return FieldSet.fromFieldsV1(doc).toPaths();
}
