// coordination.k8s.io/v1 Lease: a lightweight lock with a holder and a renewal time, used for
// leader election and node heartbeats.
import { int32, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateQualifiedName } from '../../../machinery/names.js';
import { age } from '../../printers.js';
import type { ResourceDef } from '../../resource.js';
import { ageColumn, col, kindSchema, nameColumn, o } from '../../apps/v1/common.js';

const C = 'io.k8s.api.coordination.v1';
export const LEASE = `${C}.Lease`;
/** metav1.MicroTime: RFC 3339 with microseconds, used by leases and events. */
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';

export const definitions: Record<string, Schema> = {
  [MICRO_TIME]: { type: 'string', format: 'date-time', description: 'A time with microsecond precision, RFC 3339.' },
  [LEASE]: kindSchema('coordination.k8s.io', 'v1', 'Lease', {
    spec: ref(`${C}.LeaseSpec`, 'The holder and timing of the lease.'),
  }, 'A lease: who holds a lock and until when (leader election, node heartbeats in kube-node-lease).'),
  [`${C}.LeaseSpec`]: obj({
    holderIdentity: str('Identity of the current holder.'),
    leaseDurationSeconds: int32('Seconds candidates wait after renewTime before they may take the lease.'),
    acquireTime: ref(MICRO_TIME, 'When the current holder acquired the lease.'),
    renewTime: ref(MICRO_TIME, 'When the holder last renewed the lease.'),
    leaseTransitions: int32('How many times the lease changed holders.'),
    strategy: str('How coordinated leader election picks a holder, e.g. OldestEmulationVersion.'),
    preferredHolder: str('The holder coordinated leader election would like to take over; needs strategy.'),
  }, 'The state of a lease.'),
};

export const leases: ResourceDef = {
  group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease',
  namespaced: true, schemaName: LEASE,
  validate(lease) {
    const spec = o(lease.spec);
    const errs: FieldError[] = [];
    if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
      errs.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
    }
    if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
      errs.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
    }
    if (spec.strategy != null) {
      const s = String(spec.strategy);
      if (s !== 'OldestEmulationVersion') {
        if (!s.includes('/')) errs.push(field.notSupported('spec.strategy', s, ['OldestEmulationVersion']));
        else for (const msg of validateQualifiedName(s)) errs.push(field.invalid('spec.strategy', s, msg));
      }
    }
    if (spec.preferredHolder && !spec.strategy) errs.push(field.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
    return errs;
  },
  columns: [nameColumn, col('Holder', 'string', 'The holder of the lease.'), ageColumn],
  row: (lease, now) => [lease.metadata.name, o(lease.spec).holderIdentity ?? '', age(lease.metadata.creationTimestamp, now)],
};
