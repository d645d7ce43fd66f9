// authentication.k8s.io/v1: SelfSubjectReview (`kubectl auth whoami`), answered by the API server
// from the requester's identity and never stored.
import { any, list, mapOf, obj, ref, str, strMap } from '../../../machinery/schema.js';
import type { ResourceDef } from '../../resource.js';
import { META } from '../../meta/v1.js';

const A = 'io.k8s.api.authentication.v1';

export const definitions = {
  [`${A}.UserInfo`]: obj({
    username: str('The name that uniquely identifies this user.'),
    uid: str('A unique value that identifies this user across time.'),
    groups: list(str(), 'The groups this user is a part of.'),
    extra: mapOf(list(str()), 'Any additional information provided by the authenticator.'),
  }),
  [`${A}.SelfSubjectReview`]: obj({
    apiVersion: str(), kind: str(), metadata: ref(META.ObjectMeta),
    status: obj({ userInfo: ref(`${A}.UserInfo`) }, 'Filled in by the server: who the requester is.'),
  }, { description: 'Asks the server who the requester is.', 'x-kubernetes-group-version-kind': [{ group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' }] }),
  [`${A}.TokenRequest`]: obj({
    apiVersion: str(), kind: str(), metadata: ref(META.ObjectMeta),
    spec: obj({ audiences: list(str()), expirationSeconds: { type: 'integer', format: 'int64' }, boundObjectRef: any() }),
    status: obj({ token: str(), expirationTimestamp: ref(META.Time) }),
  }, { description: 'Requests a token for a service account.', 'x-kubernetes-group-version-kind': [{ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }] }),
  [`${A}.Annotations`]: strMap(),
};

export const resources: ResourceDef[] = [{
  group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', singular: 'selfsubjectreview',
  namespaced: false, schemaName: `${A}.SelfSubjectReview`, verbs: ['create'],
}];
