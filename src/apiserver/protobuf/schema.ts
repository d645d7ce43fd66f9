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
import { apimachinery } from './proto/apimachinery.js';
import { coreV1 } from './proto/core-v1.js';
import { groups } from './proto/groups.js';

type ProtobufModule = typeof Protobuf;

/** One protobuf package: its proto text and the packages its messages refer to. */
export interface ProtoPackage {
  name: string;
  deps: string[];
  text: string;
}

export const META_V1 = 'k8s.io.apimachinery.pkg.apis.meta.v1';
export const RUNTIME = 'k8s.io.apimachinery.pkg.runtime';

/** The proto package of each group/version whose kinds can arrive as protobuf. */
export const groupVersionPackages: Record<string, string> = {
  'v1': 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'rbac.authorization.k8s.io/v1': 'k8s.io.api.rbac.v1',
  'scheduling.k8s.io/v1': 'k8s.io.api.scheduling.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'authentication.k8s.io/v1': 'k8s.io.api.authentication.v1',
  'authorization.k8s.io/v1': 'k8s.io.api.authorization.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'autoscaling/v2': 'k8s.io.api.autoscaling.v2',
  'coordination.k8s.io/v1': 'k8s.io.api.coordination.v1',
  'discovery.k8s.io/v1': 'k8s.io.api.discovery.v1',
  'certificates.k8s.io/v1': 'k8s.io.api.certificates.v1',
  'storage.k8s.io/v1': 'k8s.io.api.storage.v1',
  'events.k8s.io/v1': 'k8s.io.api.events.v1',
  'meta.k8s.io/v1': META_V1,
};

// Three modules rather than one per package: every ES module adds to the server's start-up,
// whether or not a protobuf body ever arrives (one module per package measured ~9 ms more).
const packages = new Map<string, ProtoPackage>([...apimachinery, ...coreV1, ...groups].map((p) => [p.name, p]));

let pb: ProtobufModule | undefined;
let root: Protobuf.Root | undefined;
const loaded = new Set<string>();

/** protobufjs itself, loaded on first use. */
function protobufjs(): ProtobufModule {
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
