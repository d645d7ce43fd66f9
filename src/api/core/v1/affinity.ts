// core/v1 scheduling constraints: node and pod (anti-)affinity, tolerations and taints,
// topology spread constraints.
import { int32, int64, list, obj, str, enumOf, ref, type Schema } from '../../../machinery/schema.js';
import { META } from '../../meta/v1.js';
import { core, cref } from './common.js';

const EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const podAffinityTerms = (kind: string) => ({
  requiredDuringSchedulingIgnoredDuringExecution: list(cref('PodAffinityTerm'),
    `Rules that must all hold when the pod is scheduled (${kind}); not re-checked afterwards.`),
  preferredDuringSchedulingIgnoredDuringExecution: list(cref('WeightedPodAffinityTerm'),
    `Rules the scheduler prefers (${kind}): nodes score the weights of the terms they satisfy.`),
});

export const definitions: Record<string, Schema> = {
  [core('Affinity')]: obj({
    nodeAffinity: cref('NodeAffinity', 'Which nodes the pod may or prefers to run on.'),
    podAffinity: cref('PodAffinity', 'Run near pods that match (same node, zone, ...).'),
    podAntiAffinity: cref('PodAntiAffinity', 'Keep away from pods that match.'),
  }, 'Scheduling constraints of a pod.'),
  [core('NodeAffinity')]: obj({
    requiredDuringSchedulingIgnoredDuringExecution: cref('NodeSelector', 'Nodes must match one of the terms when the pod is scheduled.'),
    preferredDuringSchedulingIgnoredDuringExecution: list(cref('PreferredSchedulingTerm'), 'Nodes matching these terms score their weights.'),
  }, 'Node affinity rules of a pod.'),
  [core('NodeSelector')]: obj({
    nodeSelectorTerms: list(cref('NodeSelectorTerm'), 'The terms, ORed together.'),
  }, { description: 'A node query: a node matches when it matches any of the terms.', required: ['nodeSelectorTerms'], 'x-kubernetes-map-type': 'atomic' }),
  [core('NodeSelectorTerm')]: obj({
    matchExpressions: list(cref('NodeSelectorRequirement'), 'Requirements on node labels, ANDed.'),
    matchFields: list(cref('NodeSelectorRequirement'), 'Requirements on node fields (metadata.name), ANDed.'),
  }, { description: 'Requirements a node must all meet; an empty term matches nothing.', 'x-kubernetes-map-type': 'atomic' }),
  [core('NodeSelectorRequirement')]: obj({
    key: str('The label or field key.'),
    operator: enumOf(['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'], 'In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
    values: list(str(), 'Values for In and NotIn (non-empty), one integer for Gt and Lt, none for Exists and DoesNotExist.'),
  }, { description: 'A key, an operator and values.', required: ['key', 'operator'] }),
  [core('PreferredSchedulingTerm')]: obj({
    weight: int32('Weight, 1 to 100.'),
    preference: cref('NodeSelectorTerm', 'The term.'),
  }, { description: 'A weighted node selector term.', required: ['weight', 'preference'] }),
  [core('PodAffinity')]: obj(podAffinityTerms('affinity'), 'Pod affinity rules.'),
  [core('PodAntiAffinity')]: obj(podAffinityTerms('anti-affinity'), 'Pod anti-affinity rules.'),
  [core('PodAffinityTerm')]: obj({
    labelSelector: ref(META.LabelSelector, 'Pods this term is about.'),
    namespaces: list(str(), 'Namespaces to look in; with namespaceSelector, their union. Empty: the pod\'s own namespace.'),
    topologyKey: str('Node label whose value defines "near": nodes with the same value are one domain.'),
    namespaceSelector: ref(META.LabelSelector, 'Namespaces to look in, by label; {} means all.'),
    matchLabelKeys: list(str(), 'Label keys whose values on the incoming pod are added to labelSelector as In requirements.'),
    mismatchLabelKeys: list(str(), 'Label keys whose values on the incoming pod are added to labelSelector as NotIn requirements.'),
  }, { description: 'Pods that must (or must not) share a topology domain with this one.', required: ['topologyKey'] }),
  [core('WeightedPodAffinityTerm')]: obj({
    weight: int32('Weight, 1 to 100.'),
    podAffinityTerm: cref('PodAffinityTerm', 'The term.'),
  }, { description: 'A weighted pod affinity term.', required: ['weight', 'podAffinityTerm'] }),

  [core('Toleration')]: obj({
    key: str('Taint key to tolerate; empty with operator Exists tolerates every taint.'),
    operator: enumOf(['Equal', 'Exists'], 'Exists or Equal. Defaults to Equal.'),
    value: str('Taint value to match for Equal; empty for Exists.'),
    effect: enumOf(EFFECTS, 'Taint effect to match; empty matches all effects.'),
    tolerationSeconds: int64('For NoExecute: how long the pod stays bound after the taint appears; unset means forever.'),
  }, 'Lets a pod be scheduled on (or stay on) nodes with a matching taint.'),
  [core('Taint')]: obj({
    key: str('Taint key.'),
    value: str('Taint value.'),
    effect: enumOf(EFFECTS, 'NoSchedule, PreferNoSchedule or NoExecute.'),
    timeAdded: ref(META.Time, 'When a NoExecute taint was added.'),
  }, { description: 'Repels pods that do not tolerate it from a node.', required: ['key', 'effect'] }),

  [core('TopologySpreadConstraint')]: obj({
    maxSkew: int32('Largest allowed difference in matching pods between any two domains; at least 1.'),
    topologyKey: str('Node label whose values are the domains.'),
    whenUnsatisfiable: enumOf(['DoNotSchedule', 'ScheduleAnyway'], 'DoNotSchedule or ScheduleAnyway (prefer lower skew).'),
    labelSelector: ref(META.LabelSelector, 'Pods counted in each domain.'),
    minDomains: int32('Minimum number of eligible domains; only with DoNotSchedule.'),
    nodeAffinityPolicy: enumOf(['Honor', 'Ignore'], 'Whether the pod\'s node affinity limits the domains. Defaults to Honor.'),
    nodeTaintsPolicy: enumOf(['Honor', 'Ignore'], 'Whether node taints limit the domains. Defaults to Ignore.'),
    matchLabelKeys: list(str(), 'Label keys whose values on the incoming pod are added to labelSelector.'),
  }, { description: 'How to spread matching pods across topology domains.', required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] }),

  // StorageClass.allowedTopologies (storage.k8s.io) refers to these.
  [core('TopologySelectorTerm')]: obj({
    matchLabelExpressions: list(cref('TopologySelectorLabelRequirement'), 'Label requirements, ANDed.'),
  }, { description: 'A topology query; an empty term matches nothing.', 'x-kubernetes-map-type': 'atomic' }),
  [core('TopologySelectorLabelRequirement')]: obj({
    key: str('Label key.'),
    values: list(str(), 'Accepted values; at least one.'),
  }, { description: 'A topology label and its accepted values.', required: ['key', 'values'] }),
};
