// The protobuf schema of the built-in types, parsed on first use: protobufjs and the parse of a
// package cost tens of milliseconds, which a server that never sees a protobuf body should not pay.
//
// The .proto texts under proto/ carry, besides Kubernetes' wire contract, how each field is
// declared in Go, because the JSON a protobuf body stands for is what Go's encoder would write
// for the decoded struct:
//   [(go) = "ptr"]   a pointer: written when present on the wire, even as a zero value;
//   [(go) = "val"]   a value without omitempty: always written, as the zero value when absent;
//   neither          a scalar with omitempty: written unless zero; a struct: always written;
//   [(json) = "x"]   the JSON name differs from the protobuf name;
//   [(inline) = true] an embedded struct whose fields are written into the parent (json:",inline");
//   option (slice)   a message that is a Go named slice (ExtraValue): written as its items.
import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import { metaV1 } from './proto/meta-v1.js';
import { runtime } from './proto/runtime.js';
import { intstr } from './proto/intstr.js';
import { resource } from './proto/resource.js';
import { coreV1 } from './proto/core-v1.js';
import { appsV1 } from './proto/apps-v1.js';
import { batchV1 } from './proto/batch-v1.js';
import { rbacV1 } from './proto/rbac-v1.js';
import { schedulingV1 } from './proto/scheduling-v1.js';
import { policyV1 } from './proto/policy-v1.js';
import { networkingV1 } from './proto/networking-v1.js';
import { authenticationV1 } from './proto/authentication-v1.js';
import { authorizationV1 } from './proto/authorization-v1.js';
import { autoscalingV1 } from './proto/autoscaling-v1.js';
import { autoscalingV2 } from './proto/autoscaling-v2.js';
import { coordinationV1 } from './proto/coordination-v1.js';
import { discoveryV1 } from './proto/discovery-v1.js';
import { certificatesV1 } from './proto/certificates-v1.js';
import { storageV1 } from './proto/storage-v1.js';
import { eventsV1 } from './proto/events-v1.js';

export type ProtobufModule = typeof Protobuf;

/** One protobuf package: its proto text and the packages its messages refer to. */
export interface ProtoPackage {
  name: string;
  deps: string[];
  text: string;
}

export const META_V1 = metaV1.name;
export const RUNTIME = runtime.name;

/** The proto package of each group/version whose kinds can arrive as protobuf. */
export const groupVersionPackages: Record<string, string> = {
  'v1': coreV1.name,
  'apps/v1': appsV1.name,
  'batch/v1': batchV1.name,
  'rbac.authorization.k8s.io/v1': rbacV1.name,
  'scheduling.k8s.io/v1': schedulingV1.name,
  'policy/v1': policyV1.name,
  'networking.k8s.io/v1': networkingV1.name,
  'authentication.k8s.io/v1': authenticationV1.name,
  'authorization.k8s.io/v1': authorizationV1.name,
  'autoscaling/v1': autoscalingV1.name,
  'autoscaling/v2': autoscalingV2.name,
  'coordination.k8s.io/v1': coordinationV1.name,
  'discovery.k8s.io/v1': discoveryV1.name,
  'certificates.k8s.io/v1': certificatesV1.name,
  'storage.k8s.io/v1': storageV1.name,
  'events.k8s.io/v1': eventsV1.name,
  'meta.k8s.io/v1': metaV1.name,
};

const packages = new Map<string, ProtoPackage>([
  metaV1, runtime, intstr, resource, coreV1, appsV1, batchV1, rbacV1, schedulingV1, policyV1, networkingV1,
  authenticationV1, authorizationV1, autoscalingV1, autoscalingV2, coordinationV1, discoveryV1, certificatesV1,
  storageV1, eventsV1,
].map((p) => [p.name, p]));

let pb: ProtobufModule | undefined;
let root: Protobuf.Root | undefined;
const loaded = new Set<string>();

/** protobufjs itself, loaded on first use. */
export function protobufjs(): ProtobufModule {
  pb ??= createRequire(import.meta.url)('protobufjs') as ProtobufModule;
  return pb;
}

function load(name: string): void {
  if (loaded.has(name)) return;
  const p = packages.get(name);
  if (!p) throw new Error(`no protobuf schema for package ${name}`);
  for (const d of p.deps) load(d);
  const lib = protobufjs();
  root ??= new lib.Root();
  lib.parse(p.text, root, { keepCase: true });
  loaded.add(name);
}

/** The message type `name` of proto package `pkg`, or undefined when the package has no such message. */
export function messageType(pkg: string, name: string): Protobuf.Type | undefined {
  load(pkg);
  const found = root!.lookup(`${pkg}.${name}`);
  return found instanceof protobufjs().Type ? found : undefined;
}
