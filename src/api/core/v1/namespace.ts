// core/v1 Namespace: a scope for names, policies and quotas. Deleting one empties it first: the
// namespace controller removes its content, then clears spec.finalizers through namespaces/finalize.
import { list, mapList, obj, str, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Label, validateDNS1123Subdomain, validateQualifiedName } from '../../../machinery/names.js';
import type { ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn } from './common.js';
import { arr, isObj, strOf, type O } from './validation.js';

/** The finalizer that keeps a namespace until the namespace controller has emptied it. */
export const FINALIZER_KUBERNETES = 'kubernetes';
const STANDARD_FINALIZERS = new Set([FINALIZER_KUBERNETES, 'orphan', 'foregroundDeletion']);

export const definitions: Record<string, Schema> = {
  [core('Namespace')]: kindObj('', 'Namespace', {
    spec: cref('NamespaceSpec', 'Finalizers of the namespace.'),
    status: cref('NamespaceStatus', 'Phase and conditions; read-only.'),
  }, 'A scope for names: most objects live in one, and deleting it deletes them.'),
  [core('NamespaceSpec')]: obj({
    finalizers: list(str(), 'Must all be removed (through namespaces/<name>/finalize) before the namespace is deleted.'),
  }, 'The desired state of a namespace.'),
  [core('NamespaceStatus')]: obj({
    phase: enumOf(['Active', 'Terminating'], 'Active, or Terminating while its content is deleted.'),
    conditions: mapList(cref('NamespaceCondition'), ['type'], 'Current conditions, e.g. NamespaceDeletionContentFailure.'),
  }, 'The observed state of a namespace.'),
  [core('NamespaceCondition')]: obj({
    type: str('Condition type.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: ref(META.Time, 'When the status last changed.'),
    reason: str('Why, in one CamelCase word.'),
    message: str('Details, for people.'),
  }, { description: 'A condition of a namespace.', required: ['type', 'status'] }),
};

function validateFinalizers(finalizers: unknown): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of arr(finalizers)) {
    const name = strOf(f);
    const msgs = validateQualifiedName(name);
    for (const m of msgs) errs.push(field.invalid('spec.finalizers', name, m));
    if (!msgs.length && !name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
      errs.push(field.invalid('spec.finalizers', name, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export const namespaces: ResourceDef = {
  group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false,
  shortNames: ['ns'], schemaName: core('Namespace'),
  nameValidator: validateDNS1123Label,
  subresources: { status: true },
  tracksGeneration: false,
  defaults(ns) {
    if (ns.metadata.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
    if (!isObj(ns.status)) ns.status = {};
    const status = ns.status as O;
    if (!status.phase) status.phase = 'Active';
  },
  prepareForCreate(ns) {
    const spec = (isObj(ns.spec) ? ns.spec : (ns.spec = {})) as O;
    const finalizers = arr(spec.finalizers);
    if (!finalizers.includes(FINALIZER_KUBERNETES)) spec.finalizers = [...finalizers, FINALIZER_KUBERNETES];
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate(ns, old) {
    // spec.finalizers change only through the finalize subresource.
    const spec = (isObj(ns.spec) ? ns.spec : (ns.spec = {})) as O;
    const oldFinalizers = isObj(old.spec) ? old.spec.finalizers : undefined;
    if (oldFinalizers === undefined) delete spec.finalizers;
    else spec.finalizers = structuredClone(oldFinalizers);
  },
  holdDeletion(ns) {
    const finalizers = isObj(ns.spec) ? arr(ns.spec.finalizers) : [];
    if (finalizers.length === 0) return false;
    ns.status = { ...(isObj(ns.status) ? ns.status : {}), phase: 'Terminating' };
    return true;
  },
  validate(ns) {
    const errs: FieldError[] = [];
    errs.push(...validateFinalizers(isObj(ns.spec) ? ns.spec.finalizers : undefined));
    return errs;
  },
  columns: [nameColumn, col('Status', 'string', 'The phase of the namespace.'), ageColumn],
  row: (ns, now) => [ns.metadata.name, strOf((ns.status as O | undefined)?.phase), age(ns.metadata.creationTimestamp, now)],
  selectableFields: (ns) => ({ 'status.phase': strOf((ns.status as O | undefined)?.phase) }),
};
