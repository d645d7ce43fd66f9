// A pod as the scheduler keeps it: the object plus what is derived from it once (requests, parsed
// affinity terms), so that filtering a thousand nodes does not re-parse selectors a thousand times.
import { newRequirement, selectorFromLabelSelector, type Selector } from '../../machinery/labels.js';
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../types.js';
import { computePodRequests, type Resource } from './resource.js';

/** A PodAffinityTerm with its selectors parsed (framework.AffinityTerm). */
export interface AffinityTerm {
  selector: Selector;
  /** Namespaces named by the term, or the pod's own namespace when it names none. */
  namespaces: Set<string>;
  /** Set when the term selects namespaces by label ({} selects all). */
  namespaceSelector?: Selector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export class PodInfo {
  readonly key: string;
  /** Copied out of metadata: hot loops read these for thousands of pods per decision. */
  readonly namespace: string;
  readonly labels: Record<string, string> | undefined;
  readonly deleting: boolean;
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[];
  /** Parse problems in the pod's affinity; such a pod is unschedulable until fixed. */
  readonly parseErrors: string[] = [];

  constructor(readonly pod: Pod) {
    this.key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    this.namespace = pod.metadata.namespace ?? '';
    this.labels = pod.metadata.labels;
    this.deleting = !!pod.metadata.deletionTimestamp;
    this.requests = computePodRequests(pod);
    this.nonZeroRequests = computePodRequests(pod, true);
    const a = pod.spec?.affinity;
    this.requiredAffinityTerms = this.terms(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = this.terms(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.preferredAffinityTerms = this.weighted(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = this.weighted(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
  }

  /** The same pod with another object (e.g. the assumed copy carrying spec.nodeName); derived data is shared. */
  withPod(pod: Pod): PodInfo {
    const c = Object.create(PodInfo.prototype) as PodInfo;
    Object.assign(c, this);
    (c as { pod: Pod }).pod = pod;
    return c;
  }

  get hasAffinity(): boolean {
    return this.requiredAffinityTerms.length + this.requiredAntiAffinityTerms.length + this.preferredAffinityTerms.length + this.preferredAntiAffinityTerms.length > 0;
  }

  private terms(list: PodAffinityTerm[] | undefined): AffinityTerm[] {
    const out: AffinityTerm[] = [];
    for (const t of list ?? []) {
      const term = this.term(t);
      if (term) out.push(term);
    }
    return out;
  }

  private weighted(list: WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
    const out: WeightedAffinityTerm[] = [];
    for (const w of list ?? []) {
      const term = w?.podAffinityTerm && this.term(w.podAffinityTerm);
      if (term) out.push({ ...term, weight: w.weight ?? 0 });
    }
    return out;
  }

  private term(t: PodAffinityTerm): AffinityTerm | undefined {
    try {
      let selector = selectorFromLabelSelector(t.labelSelector);
      // matchLabelKeys / mismatchLabelKeys: the incoming pod's own label values narrow the selector.
      const labels = this.pod.metadata.labels ?? {};
      if (t.labelSelector) {
        for (const k of t.matchLabelKeys ?? []) if (k in labels) selector = selector.add(newRequirement(k, 'in', [labels[k]]));
        for (const k of t.mismatchLabelKeys ?? []) if (k in labels) selector = selector.add(newRequirement(k, 'notin', [labels[k]]));
      }
      const namespaces = new Set(t.namespaces ?? []);
      const namespaceSelector = t.namespaceSelector ? selectorFromLabelSelector(t.namespaceSelector) : undefined;
      if (namespaces.size === 0 && !namespaceSelector) namespaces.add(this.pod.metadata.namespace ?? '');
      return { selector, namespaces, namespaceSelector, topologyKey: t.topologyKey };
    } catch (err) {
      this.parseErrors.push(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }
}

/** Namespace labels by name, for terms that select namespaces by label. */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

/** Whether `pod` is one of the pods `term` is about. */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabels): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!term.namespaces.has(ns)) {
    if (!term.namespaceSelector || !term.namespaceSelector.matches(nsLabels(ns))) return false;
  }
  return term.selector.matches(pod.metadata.labels);
}
