// Resources that are questions to the server rather than stored objects: POST one and the answer
// comes back in its status (SelfSubjectReview, SelfSubjectAccessReview).
import type { KObject } from '../api/resource.js';
import type { UserInfo } from './registry.js';

export type Review = (obj: KObject, user: UserInfo) => KObject;

/**
 * k8ts authorizes every authenticated user for everything (no RBAC enforcement yet), so access
 * reviews say so honestly, with the reason.
 */
export const reviews = new Map<string, Review>([
  ['authentication.k8s.io/selfsubjectreviews', (obj, user) => ({
    ...obj, metadata: { ...obj.metadata, creationTimestamp: undefined },
    status: { userInfo: { username: user.name, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}) } },
  })],
  ['authorization.k8s.io/selfsubjectaccessreviews', (obj) => ({
    ...obj, metadata: { ...obj.metadata, creationTimestamp: undefined },
    status: { allowed: true, reason: 'k8ts allows every authenticated user (RBAC is not enforced yet)' },
  })],
]);
