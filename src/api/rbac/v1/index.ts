// rbac.authorization.k8s.io/v1: role-based access control.
import type { ResourceDef } from '../../resource.js';
import * as rbac from './rbac.js';

export const definitions = { ...rbac.definitions };
export const resources: ResourceDef[] = [rbac.roles, rbac.clusterRoles, rbac.roleBindings, rbac.clusterRoleBindings];
