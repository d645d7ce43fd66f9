// networking.k8s.io/v1 IngressClass: names an ingress controller and its configuration.
import { enumOf, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { field, type FieldError } from '../../../machinery/status.js';
import { validateDNS1123Label } from '../../../machinery/names.js';
import { age } from '../../printers.js';
import type { ResourceDef } from '../../resource.js';
import { ageColumn, col, immutable, isDomainPrefixedPath, kindSchema, nameColumn, o, type Obj } from '../../apps/v1/common.js';
import { validateTypedLocalObjectReference } from './ingress.js';

const N = 'io.k8s.api.networking.v1';
export const INGRESS_CLASS = `${N}.IngressClass`;
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export const definitions: Record<string, Schema> = {
  [INGRESS_CLASS]: kindSchema('networking.k8s.io', 'v1', 'IngressClass', {
    spec: ref(`${N}.IngressClassSpec`, 'The controller and its parameters.'),
  }, `A kind of Ingress, implemented by one controller. The class annotated ${DEFAULT_CLASS_ANNOTATION}=true is used for ingresses that name none.`),
  [`${N}.IngressClassSpec`]: obj({
    controller: str('The controller implementing the class, as a domain-prefixed path, e.g. example.com/ingress-controller. Immutable.'),
    parameters: ref(`${N}.IngressClassParametersReference`, 'An object with further configuration for the controller.'),
  }, 'The desired state of an IngressClass.'),
  [`${N}.IngressClassParametersReference`]: obj({
    apiGroup: str('API group of the referent; empty for the core group.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    scope: enumOf(['Cluster', 'Namespace'], 'Cluster or Namespace: whether the referent is cluster-scoped or in `namespace`. Defaults to Cluster.'),
    namespace: str('Namespace of the referent when scope is Namespace.'),
  }, { description: 'The object holding a controller\'s configuration.', required: ['kind', 'name'] }),
};

function validateParameters(p: unknown, path: string): FieldError[] {
  if (p == null) return [];
  const params = o(p);
  const errs = validateTypedLocalObjectReference(params, path);
  if (params.scope == null) return [...errs, field.required(`${path}.scope`)];
  if (params.scope !== 'Cluster' && params.scope !== 'Namespace') {
    errs.push(field.notSupported(`${path}.scope`, params.scope, ['Cluster', 'Namespace']));
  } else if (params.scope === 'Namespace') {
    if (params.namespace == null) errs.push(field.required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const msg of validateDNS1123Label(String(params.namespace))) errs.push(field.invalid(`${path}.namespace`, params.namespace, msg));
  } else if (params.namespace != null) {
    errs.push(field.forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

export const ingressClasses: ResourceDef = {
  group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass',
  namespaced: false, schemaName: INGRESS_CLASS,
  defaults(ic) {
    const params = o(ic.spec).parameters as Obj | undefined;
    if (params && typeof params === 'object' && params.scope == null) params.scope = 'Cluster';
  },
  validate(ic, { old }) {
    const spec = o(ic.spec);
    const errs: FieldError[] = [];
    if (old) errs.push(...immutable(spec.controller, o(old.spec).controller, 'spec.controller'));
    const controller = typeof spec.controller === 'string' ? spec.controller : '';
    if (controller.length > 250) errs.push(field.tooLong('spec.controller', 250));
    errs.push(...isDomainPrefixedPath(controller, 'spec.controller'));
    errs.push(...validateParameters(spec.parameters, 'spec.parameters'));
    return errs;
  },
  columns: [
    nameColumn,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  row(ic, now) {
    const p = o(ic.spec).parameters;
    let parameters = '<none>';
    if (p && typeof p === 'object') {
      const params = p as Obj;
      parameters = `${params.kind ?? ''}${params.apiGroup != null ? `.${params.apiGroup}` : ''}/${params.name ?? ''}`;
    }
    return [ic.metadata.name, o(ic.spec).controller ?? '', parameters, age(ic.metadata.creationTimestamp, now)];
  },
};
