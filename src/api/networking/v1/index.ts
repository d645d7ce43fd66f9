// networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy.
import type { ResourceDef } from '../../resource.js';
import * as ingress from './ingress.js';
import * as ingressclass from './ingressclass.js';
import * as networkpolicy from './networkpolicy.js';

export const definitions = { ...ingress.definitions, ...ingressclass.definitions, ...networkpolicy.definitions };
export const resources: ResourceDef[] = [ingress.ingresses, ingressclass.ingressClasses, networkpolicy.networkPolicies];
