// What the API server serves, read from its legacy discovery documents (/api/v1, /apis, then each
// group's preferred version), as client-go's ServerPreferredResources: the garbage collector and
// the namespace controller act on every resource, CRDs included, not on a fixed list.
import { resourceRef, type ResourceRef, type RestClient } from '../../client/index.js';

export interface DiscoveredResource {
  ref: ResourceRef;
  verbs: string[];
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** groupVersion → why its document could not be read; the others are still usable. */
  failed: Map<string, string>;
}

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  group?: string;
  version?: string;
}

interface APIGroupList {
  groups?: Array<{ name: string; preferredVersion?: { groupVersion: string; version: string }; versions?: Array<{ groupVersion: string; version: string }> }>;
}

/** `pods`, `deployments.apps`: the GroupResource string Kubernetes puts in messages. */
export function groupResourceString(ref: ResourceRef): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}

/** The preferred version of every resource (no subresources). */
export async function discoverPreferredResources(client: RestClient, signal?: AbortSignal): Promise<DiscoveryResult> {
  const failed = new Map<string, string>();
  const out: DiscoveredResource[] = [];
  const readGroupVersion = async (group: string, version: string): Promise<void> => {
    const gv = group ? `${group}/${version}` : version;
    try {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      const doc = (await client.request('GET', path, undefined, { signal })) as { resources?: APIResource[] } | undefined;
      for (const r of doc?.resources ?? []) {
        if (!r?.name || r.name.includes('/')) continue;
        out.push({ ref: resourceRef(r.group ?? group, r.version ?? version, r.name, r.kind, !!r.namespaced), verbs: r.verbs ?? [] });
      }
    } catch (err) {
      failed.set(gv, err instanceof Error ? err.message : String(err));
    }
  };
  const groups = (await client.request('GET', '/apis', undefined, { signal })) as APIGroupList | undefined;
  const tasks: Promise<void>[] = [readGroupVersion('', 'v1')];
  for (const g of groups?.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    if (g.name && preferred) tasks.push(readGroupVersion(g.name, preferred));
  }
  await Promise.all(tasks);
  return { resources: out, failed };
}

export const hasVerbs = (r: DiscoveredResource, ...verbs: string[]): boolean => verbs.every((v) => r.verbs.includes(v));

/**
 * Kinds to resources (meta.RESTMapper): an ownerReference names its owner by apiVersion and
 * kind; a kind is found in its group whatever the version, as every served version of a group
 * addresses the same objects.
 */
export class RestMapper {
  private readonly byGroupKind = new Map<string, ResourceRef>();

  constructor(resources: Iterable<DiscoveredResource> = []) {
    for (const r of resources) this.add(r.ref);
  }

  add(ref: ResourceRef): void {
    const key = `${ref.group}/${ref.kind}`;
    if (!this.byGroupKind.has(key)) this.byGroupKind.set(key, ref);
  }

  /** The resource of `apiVersion`+`kind`, or undefined when the server does not serve it. */
  resourceFor(apiVersion: string, kind: string): ResourceRef | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    return this.byGroupKind.get(`${group}/${kind}`);
  }
}
