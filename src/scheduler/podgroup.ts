// The PodGroup custom resource (scheduling.k8ts.io/v1alpha1) that gang scheduling reads: pods
// labelled scheduling.k8ts.io/pod-group=<name> are bound together once spec.minMember of them
// fit, or not at all. The scheduler creates the CRD at start when it is missing.
import type { KObject } from '../api/resource.js';
import { isAlreadyExists, resourceRef, resources, type RestClient } from '../client/index.js';
import { sleep } from '../client/index.js';

export const POD_GROUP_LABEL = 'scheduling.k8ts.io/pod-group';
export const podGroups = resourceRef('scheduling.k8ts.io', 'v1alpha1', 'podgroups', 'PodGroup', true);

export interface PodGroup extends KObject {
  spec?: { minMember?: number; scheduleTimeoutSeconds?: number };
  status?: { phase?: string; scheduled?: number };
}

export const podGroupCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'podgroups.scheduling.k8ts.io' },
  spec: {
    group: 'scheduling.k8ts.io',
    scope: 'Namespaced',
    names: { plural: 'podgroups', singular: 'podgroup', kind: 'PodGroup', listKind: 'PodGroupList', shortNames: ['pg'] },
    versions: [{
      name: 'v1alpha1',
      served: true,
      storage: true,
      subresources: { status: {} },
      additionalPrinterColumns: [
        { name: 'MinMember', type: 'integer', jsonPath: '.spec.minMember' },
        { name: 'Scheduled', type: 'integer', jsonPath: '.status.scheduled' },
        { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
      schema: {
        openAPIV3Schema: {
          type: 'object',
          description: 'A gang of pods scheduled all together: none is bound until minMember of them fit.',
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { type: 'object' },
            spec: {
              type: 'object',
              properties: {
                minMember: { type: 'integer', minimum: 1, description: 'How many pods of the group must fit before any is bound.' },
                scheduleTimeoutSeconds: { type: 'integer', minimum: 1, description: 'How long pods that fit wait for the rest of the gang; 60 by default.' },
              },
              required: ['minMember'],
            },
            status: {
              type: 'object',
              properties: {
                phase: { type: 'string', description: 'Pending, Scheduling or Scheduled.' },
                scheduled: { type: 'integer', description: 'Pods of the group bound to nodes.' },
              },
            },
          },
        },
      },
    }],
  },
};

/** Creates the PodGroup CRD unless it exists, and waits until it is served. */
export async function ensurePodGroupCRD(client: RestClient, signal?: AbortSignal): Promise<void> {
  try {
    await client.create(resources.customresourcedefinitions, undefined, podGroupCRD as unknown as KObject);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  for (let i = 0; i < 100 && !signal?.aborted; i++) {
    try {
      await client.list(podGroups, undefined, { limit: 1 });
      return;
    } catch {
      await sleep(100, signal);
    }
  }
}
