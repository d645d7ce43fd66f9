// Amounts of compute resources as the scheduler adds and compares them: cpu in millicores,
// everything else in whole units (bytes, pods, devices). Numbers rather than Quantities because
// the scheduler adds them thousands of times per decision; 2^53 bytes is 8 PiB, plenty.
import { quantityFromJSON } from '../../machinery/quantity.js';
import type { Container, Pod, ResourceList } from '../types.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Requests a container is assumed to make, for scoring only, when it names none (kube-scheduler's non-zero defaults). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const parsed = new Map<string, number>();

/** A quantity as a number: millis for cpu, whole units otherwise; 0 when malformed. */
export function amount(name: string, q: string | number | undefined): number {
  if (q === undefined || q === null) return 0;
  const key = `${name === CPU ? 'm' : ''}${q}`;
  let v = parsed.get(key);
  if (v === undefined) {
    try {
      const quantity = quantityFromJSON(q);
      v = quantity ? Number(name === CPU ? quantity.milliValue() : quantity.value()) : 0;
    } catch {
      v = 0;
    }
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(key, v);
  }
  return v;
}

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended resources (nvidia.com/gpu, hugepages-2Mi, example.com/foo), whole units. */
  scalar: Map<string, number> | undefined;

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    if (list) for (const [k, v] of Object.entries(list)) r.set(k, amount(k, v));
    return r;
  }

  get(name: string): number {
    switch (name) {
      case CPU: return this.milliCPU;
      case MEMORY: return this.memory;
      case EPHEMERAL_STORAGE: return this.ephemeralStorage;
      case PODS: return this.allowedPodNumber;
      default: return this.scalar?.get(name) ?? 0;
    }
  }

  set(name: string, v: number): void {
    switch (name) {
      case CPU: this.milliCPU = v; return;
      case MEMORY: this.memory = v; return;
      case EPHEMERAL_STORAGE: this.ephemeralStorage = v; return;
      case PODS: this.allowedPodNumber = v; return;
      default:
        (this.scalar ??= new Map()).set(name, v);
    }
  }

  add(o: Resource, sign = 1): void {
    this.milliCPU += sign * o.milliCPU;
    this.memory += sign * o.memory;
    this.ephemeralStorage += sign * o.ephemeralStorage;
    this.allowedPodNumber += sign * o.allowedPodNumber;
    if (o.scalar) for (const [k, v] of o.scalar) (this.scalar ??= new Map()).set(k, (this.scalar.get(k) ?? 0) + sign * v);
  }

  /** Raises each amount to at least the other's. */
  max(o: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, o.milliCPU);
    this.memory = Math.max(this.memory, o.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, o.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, o.allowedPodNumber);
    if (o.scalar) for (const [k, v] of o.scalar) (this.scalar ??= new Map()).set(k, Math.max(this.scalar.get(k) ?? 0, v));
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  /** Names of the resources with a non-zero amount. */
  names(): string[] {
    const out: string[] = [];
    if (this.milliCPU) out.push(CPU);
    if (this.memory) out.push(MEMORY);
    if (this.ephemeralStorage) out.push(EPHEMERAL_STORAGE);
    if (this.scalar) for (const [k, v] of this.scalar) if (v) out.push(k);
    return out;
  }
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = Resource.fromList(c.resources?.requests);
  if (nonZero) {
    if (!c.resources?.requests || c.resources.requests[CPU] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!c.resources?.requests || c.resources.requests[MEMORY] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * What a pod asks of a node (resourcehelper.PodRequests): its containers' requests summed;
 * init containers run one at a time before them, so only the largest counts, except sidecars
 * (restartPolicy Always), which keep running alongside everything started after them; plus the
 * pod overhead. With `nonZero`, containers without a cpu or memory request count kube-scheduler's
 * defaults, so that scoring still spreads such pods.
 */
export function computePodRequests(pod: Pod, nonZero = false): Resource {
  const reqs = new Resource();
  for (const c of pod.spec?.containers ?? []) reqs.add(containerRequests(c, nonZero));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      reqs.add(r);
      sidecars.add(r);
      initMax.max(sidecars);
    } else {
      r.add(sidecars);
      initMax.max(r);
    }
  }
  reqs.max(initMax);
  if (pod.spec?.overhead) reqs.add(Resource.fromList(pod.spec.overhead));
  return reqs;
}
