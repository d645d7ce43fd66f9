// core/v1 ServiceAccount: an identity for processes that run in pods.
import { bool, list, mapList, type Schema } from '../../../machinery/schema.js';
import type { ResourceDef } from '../../resource.js';
import { age } from '../../printers.js';
import { col, core, cref, kindObj, nameColumn, ageColumn } from './common.js';
import { arr } from './validation.js';

export const definitions: Record<string, Schema> = {
  [core('ServiceAccount')]: kindObj('', 'ServiceAccount', {
    secrets: mapList(cref('ObjectReference'), ['name'], 'Secrets pods of this account may use; legacy token secrets were listed here.'),
    imagePullSecrets: list(cref('LocalObjectReference'), 'Registry credentials added to pods that run as this account.'),
    automountServiceAccountToken: bool('Whether pods of this account get an API token mounted; pods may override it.'),
  }, 'An identity for processes in pods, with the secrets it may use.'),
};

export const serviceAccounts: ResourceDef = {
  group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true,
  shortNames: ['sa'], schemaName: core('ServiceAccount'),
  columns: [nameColumn, col('Secrets', 'integer', 'Number of secrets listed on the account.'), ageColumn],
  row: (sa, now) => [sa.metadata.name, arr(sa.secrets).length, age(sa.metadata.creationTimestamp, now)],
};
