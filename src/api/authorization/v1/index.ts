// authorization.k8s.io/v1: SelfSubjectAccessReview (`kubectl auth can-i`), answered by the API
// server's authorizer and never stored.
import { bool, list, obj, ref, str } from '../../../machinery/schema.js';
import type { ResourceDef } from '../../resource.js';
import { META } from '../../meta/v1.js';

const Z = 'io.k8s.api.authorization.v1';

export const definitions = {
  [`${Z}.ResourceAttributes`]: obj({
    namespace: str(), verb: str(), group: str(), version: str(), resource: str(), subresource: str(), name: str(),
  }),
  [`${Z}.NonResourceAttributes`]: obj({ path: str(), verb: str() }),
  [`${Z}.SelfSubjectAccessReview`]: obj({
    apiVersion: str(), kind: str(), metadata: ref(META.ObjectMeta),
    spec: obj({
      resourceAttributes: ref(`${Z}.ResourceAttributes`, 'The action on a resource to check.'),
      nonResourceAttributes: ref(`${Z}.NonResourceAttributes`, 'The action on a non-resource path to check.'),
    }),
    status: obj({
      allowed: bool('Whether the action is allowed.'), denied: bool(), reason: str(), evaluationError: str(),
    }),
  }, { description: 'Asks whether the requester may perform an action.', 'x-kubernetes-group-version-kind': [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' }] }),
  [`${Z}.SelfSubjectRulesReview`]: obj({ apiVersion: str(), kind: str(), metadata: ref(META.ObjectMeta), spec: obj({ namespace: str() }), status: obj({ incomplete: bool(), resourceRules: list(obj({})), nonResourceRules: list(obj({})) }) }),
};

export const resources: ResourceDef[] = [{
  group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview',
  namespaced: false, schemaName: `${Z}.SelfSubjectAccessReview`, verbs: ['create'],
}];
