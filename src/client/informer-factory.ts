// One informer per resource (and namespace/selector) shared by every consumer in a process, as
// client-go's SharedInformerFactory: ten controllers watching pods cost one list and one watch.
import type { KObject } from '../api/resource.js';
import type { RestClient } from './rest.js';
import { groupResource, type ResourceRef } from './resources.js';
import { Informer, type InformerOptions } from './informer.js';

export interface InformerFactoryOptions {
  /** Default handler resync period for the informers it makes, ms; 0 never resyncs. */
  resyncPeriodMs?: number;
  /** Restrict every informer to one namespace. */
  namespace?: string;
  /** Applied to every informer's objects before caching (e.g. dropping managedFields). */
  transform?: (obj: KObject) => KObject;
  backoff?: InformerOptions<KObject>['backoff'];
}

export interface ForResourceOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer<any>>();
  private started = false;

  constructor(readonly client: RestClient, private readonly opts: InformerFactoryOptions = {}) {}

  /**
   * The shared informer for `res`. Made on first request; started at once when the factory
   * already runs, else by start().
   */
  forResource<T extends KObject = KObject>(res: ResourceRef, o: ForResourceOptions = {}): Informer<T> {
    const namespace = o.namespace ?? this.opts.namespace;
    const key = [groupResource(res), res.version, namespace ?? '', o.labelSelector ?? '', o.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key) as Informer<T> | undefined;
    if (!inf) {
      inf = new Informer<T>(this.client, res, {
        namespace,
        labelSelector: o.labelSelector,
        fieldSelector: o.fieldSelector,
        resyncPeriodMs: this.opts.resyncPeriodMs,
        transform: this.opts.transform as ((obj: T) => T) | undefined,
        backoff: this.opts.backoff,
      });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf;
  }

  /** Starts every informer made so far, and those made later. */
  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves true once every informer made so far has synced; false on timeout. */
  async waitForSync(timeoutMs?: number): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(timeoutMs)));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
