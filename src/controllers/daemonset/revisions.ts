// A DaemonSet's ControllerRevisions (update.go constructHistory/snapshot/cleanupHistory): the
// current revision holds the current template and is named <ds>-<template hash>; pods carry that
// hash in controller-revision-hash. The current revision always has the highest number; old ones
// no pod uses are pruned down to revisionHistoryLimit.
import { isAlreadyExists, resources, type RestClient } from '../../client/index.js';
import type { Selector } from '../../machinery/labels.js';
import { hashPodTemplate } from '../history/hash.js';
import type { ControllerHistory } from '../history/history.js';
import { maxRevision, revisionName, sameData, sortRevisions, templatePatch, type ControllerRevision } from '../history/revision.js';
import { adoptPatch, claimObjects, releasePatch } from '../util/controller-ref.js';
import { newControllerRef, ownedAndOrphans } from '../util/owner.js';
import { HASH_LABEL, type DaemonSet, type Pod } from './types.js';

export const controllerRefFor = (ds: DaemonSet) => newControllerRef(ds, 'apps/v1', 'DaemonSet');

/** The revision holds the DaemonSet's current template (Match). */
export function matchesTemplate(ds: DaemonSet, rev: ControllerRevision): boolean {
  return sameData(templatePatch(ds.spec.template), rev.data);
}

export interface DaemonSetHistory {
  cur: ControllerRevision;
  old: ControllerRevision[];
  hash: string;
}

export class DaemonSetRevisions {
  constructor(private readonly client: RestClient, private readonly history: ControllerHistory) {}

  /** The revisions the DaemonSet controls, adopting orphans its selector matches and releasing the rest. */
  async controlled(ds: DaemonSet, selector: Selector): Promise<ControllerRevision[]> {
    const ns = ds.metadata.namespace!;
    const ref = controllerRefFor(ds);
    return claimObjects(ownedAndOrphans(this.history.informer.indexer, ds), {
      owner: ds,
      selector,
      getFresh: () => this.client.get(resources.daemonsets, ns, ds.metadata.name!),
      adopt: async (r) => void (await this.client.patch(resources.controllerrevisions, ns, r.metadata.name!, adoptPatch(ref, r.metadata.uid), 'strategic')),
      release: async (r) => void (await this.client.patch(resources.controllerrevisions, ns, r.metadata.name!, releasePatch(ds.metadata.uid!, r.metadata.uid), 'strategic')),
    });
  }

  /** The current revision (made or renumbered as needed), the old ones, and the pods' hash. */
  async construct(ds: DaemonSet, selector: Selector, pods: Pod[]): Promise<DaemonSetHistory> {
    const current: ControllerRevision[] = [];
    const old: ControllerRevision[] = [];
    for (let rev of await this.controlled(ds, selector)) {
      // Revisions from before the hash label existed are labelled with their name.
      if (!rev.metadata.labels?.[HASH_LABEL]) {
        rev = await this.client.patch<ControllerRevision>(resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, { metadata: { labels: { [HASH_LABEL]: rev.metadata.name } } }, 'merge');
      }
      (matchesTemplate(ds, rev) ? current : old).push(rev);
    }
    const next = maxRevision(old) + 1;
    let cur: ControllerRevision;
    if (current.length === 0) cur = await this.snapshot(ds, next);
    else {
      cur = await this.dedup(ds, current, pods);
      if ((cur.revision ?? 0) < next) cur = await this.history.renumber(cur, next);
    }
    return { cur, old, hash: cur.metadata.labels?.[HASH_LABEL] ?? '' };
  }

  /** Creates the revision of the current template; a name taken by another template bumps collisionCount. */
  private async snapshot(ds: DaemonSet, revision: number): Promise<ControllerRevision> {
    const ns = ds.metadata.namespace!;
    const hash = hashPodTemplate(ds.spec.template, ds.status?.collisionCount);
    const name = revisionName(ds.metadata.name!, hash);
    const rev: ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ns,
        labels: { ...(ds.spec.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash },
        ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
        ownerReferences: [controllerRefFor(ds)],
      },
      data: templatePatch(ds.spec.template),
      revision,
    };
    try {
      return await this.client.create<ControllerRevision>(resources.controllerrevisions, ns, rev);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await this.client.get<ControllerRevision>(resources.controllerrevisions, ns, name);
      if (matchesTemplate(ds, existing)) return existing;
      const fresh = await this.client.get<DaemonSet>(resources.daemonsets, ns, ds.metadata.name!);
      if ((fresh.status?.collisionCount ?? 0) !== (ds.status?.collisionCount ?? 0)) {
        throw new Error(`found a stale collision count (${ds.status?.collisionCount ?? 0}, expected ${fresh.status?.collisionCount ?? 0}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
      }
      await this.client.patch(resources.daemonsets, ns, ds.metadata.name!, { status: { collisionCount: (fresh.status?.collisionCount ?? 0) + 1 } }, 'merge', { subresource: 'status' });
      throw err;
    }
  }

  /** Of several revisions holding the current template keeps the newest, moving pods' hashes to it. */
  private async dedup(ds: DaemonSet, current: ControllerRevision[], pods: Pod[]): Promise<ControllerRevision> {
    if (current.length === 1) return current[0];
    sortRevisions(current);
    const keep = current[current.length - 1];
    const keepHash = keep.metadata.labels?.[HASH_LABEL] ?? '';
    for (const dup of current.slice(0, -1)) {
      const dupHash = dup.metadata.labels?.[HASH_LABEL];
      for (const pod of pods) {
        if (pod.metadata.labels?.[HASH_LABEL] !== dupHash) continue;
        await this.client.patch(resources.pods, pod.metadata.namespace, pod.metadata.name!, { metadata: { labels: { [HASH_LABEL]: keepHash } } }, 'merge');
      }
      await this.history.delete(dup);
    }
    return keep;
  }

  /** Deletes the oldest old revisions no pod uses beyond revisionHistoryLimit (cleanupHistory). */
  async cleanup(ds: DaemonSet, old: ControllerRevision[], pods: Pod[]): Promise<void> {
    let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
    if (toKill <= 0) return;
    const live = new Set(pods.map((p) => p.metadata.labels?.[HASH_LABEL]).filter((h): h is string => !!h));
    for (const rev of sortRevisions([...old])) {
      if (toKill <= 0) break;
      if (live.has(rev.metadata.labels?.[HASH_LABEL] ?? '')) continue;
      await this.history.delete(rev);
      toKill--;
    }
  }
}
