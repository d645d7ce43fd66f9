// ServiceAccount upkeep: the "default" ServiceAccount and the kube-root-ca.crt ConfigMap in
// every namespace.
import { resources } from '../../client/index.js';
import { logError } from '../../machinery/log.js';
import type { Controller } from '../context.js';
import { RootCAPublisher } from './root-ca.js';
import { ServiceAccountsController } from './serviceaccounts.js';

export const serviceAccountController: Controller = {
  name: 'serviceaccount',
  start(ctx) {
    const c = new ServiceAccountsController({
      client: ctx.client,
      namespaces: ctx.informers.forResource(resources.namespaces),
      serviceAccounts: ctx.informers.forResource(resources.serviceaccounts),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export const rootCACertPublisher: Controller = {
  name: 'root-ca-cert-publisher',
  start(ctx) {
    const caCert = ctx.client.config.caCert;
    if (!caCert) {
      logError('root-ca-cert-publisher', 'the controller manager\'s client has no CA certificate; kube-root-ca.crt is not published');
      return;
    }
    const c = new RootCAPublisher({
      client: ctx.client, caCert,
      namespaces: ctx.informers.forResource(resources.namespaces),
      configMaps: ctx.informers.forResource(resources.configmaps),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { ServiceAccountsController, DEFAULT_SERVICE_ACCOUNTS, isActiveNamespace, type ServiceAccountsControllerOptions } from './serviceaccounts.js';
export { RootCAPublisher, ROOT_CA_CONFIGMAP, type RootCAPublisherOptions } from './root-ca.js';
