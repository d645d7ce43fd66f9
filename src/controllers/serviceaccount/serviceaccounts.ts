// The serviceaccount controller: every active namespace has the ServiceAccounts pods fall back
// on ("default"); one deleted is made again. Terminating namespaces are left alone, as their
// content is on its way out.
import type { KObject } from '../../api/resource.js';
import { isAlreadyExists, isForbidden, isNotFound, resources, runWorkers, WorkQueue, type Informer, type RestClient } from '../../client/index.js';
import { readyToRun } from '../util/ready-to-run.js';

export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

export interface ServiceAccountsControllerOptions {
  client: RestClient;
  namespaces: Informer<KObject>;
  serviceAccounts: Informer<KObject>;
  /** Names to keep in every namespace; ["default"]. */
  names?: string[];
}

export const isActiveNamespace = (ns: KObject | undefined): ns is KObject =>
  !!ns && !ns.metadata.deletionTimestamp && (ns.status as { phase?: string } | undefined)?.phase !== 'Terminating';

export class ServiceAccountsController {
  readonly queue = new WorkQueue<string>({ name: 'serviceaccount' });
  private readonly names: string[];

  constructor(private readonly opts: ServiceAccountsControllerOptions) {
    this.names = opts.names ?? DEFAULT_SERVICE_ACCOUNTS;
    opts.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name!),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name!),
    });
    opts.serviceAccounts.addEventHandler({
      onDelete: (sa) => {
        if (this.names.includes(sa.metadata.name!)) this.queue.add(sa.metadata.namespace!);
      },
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.opts.namespaces, this.opts.serviceAccounts] }))) return;
    await runWorkers(this.queue, workers, (ns) => this.sync(ns));
  }

  async sync(namespace: string): Promise<void> {
    if (!isActiveNamespace(this.opts.namespaces.lister.get(undefined, namespace))) return;
    for (const name of this.names) {
      if (this.opts.serviceAccounts.lister.get(namespace, name)) continue;
      try {
        await this.opts.client.create(resources.serviceaccounts, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (err) {
        // Made meanwhile, or the namespace began terminating / went away.
        if (isAlreadyExists(err) || isNotFound(err) || isForbidden(err)) continue;
        throw err;
      }
    }
  }
}

