// autoscaling/v1 Scale: the body of every scale subresource (deployments/scale, statefulsets/scale,
// custom resources with a scale subresource). status.selector is a label selector in string form.
import { int32, obj, ref, str, type Schema } from '../../../machinery/schema.js';
import { kindSchema } from '../../apps/v1/common.js';

const V1 = 'io.k8s.api.autoscaling.v1';
export const SCALE = `${V1}.Scale`;

export const definitions: Record<string, Schema> = {
  [SCALE]: kindSchema('autoscaling', 'v1', 'Scale', {
    spec: ref(`${V1}.ScaleSpec`, 'The desired number of replicas.'),
    status: ref(`${V1}.ScaleStatus`, 'The current number of replicas and the selector of their pods.'),
  }, 'The replica count of a scalable resource, read and written through its scale subresource.'),
  [`${V1}.ScaleSpec`]: obj({
    replicas: int32('Desired number of instances of the scaled object.'),
  }, 'The desired scale.'),
  [`${V1}.ScaleStatus`]: obj({
    replicas: int32('Actual number of observed instances of the scaled object.'),
    selector: str('Label query over the pods counted, in the string form of a label selector (e.g. "app=web,tier in (a,b)").'),
  }, { description: 'The observed scale.', required: ['replicas'] }),
};
