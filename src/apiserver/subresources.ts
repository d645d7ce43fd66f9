// Subresources beyond status and scale, served by small handlers registered by `<plural>/<name>`:
// pods/binding, pods/eviction, namespaces/finalize here; pods/log, exec, attach, portforward and
// nodes/proxy are added by the kubelet connection (they stream).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, ResourceDef } from '../api/resource.js';
import { errors } from '../machinery/status.js';
import { selectorFromLabelSelector } from '../machinery/labels.js';
import { ServiceAccountTokens } from './serviceaccount-token.js';
import { decodeObject, parseFieldValidation } from './decode.js';
import { mediaType, parseBody, readBody, sendJSON, successStatus } from './http.js';
import { now, type Registry, type UserInfo } from './registry.js';
import type { RequestInfo } from './request-info.js';

export type SubresourceHandler = (
  info: RequestInfo, def: ResourceDef, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, user: UserInfo,
) => Promise<void>;

const ctxFor = (user: UserInfo, q: URLSearchParams) => ({ user, dryRun: q.getAll('dryRun').length > 0, fieldManager: q.get('fieldManager') || 'kube-apiserver', warnings: [] as string[] });

/** POST pods/<name>/binding: the scheduler's decision, written once. */
export function bindingHandler(registry: Registry): SubresourceHandler {
  return async (info, def, req, res, q, user) => {
    if (info.verb !== 'create') throw errors.methodNotAllowed(info.verb, 'pods/binding');
    const body = parseBody(await readBody(req), mediaType(req)) as { target?: { name?: string; kind?: string }; metadata?: { name?: string } };
    const node = body?.target?.name;
    if (!node) throw errors.invalid('Binding', '', info.name, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
    if (body.metadata?.name && body.metadata.name !== info.name) throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${info.name})`);
    await registry.mutate(def, info.namespace, info.name, ctxFor(user, q), 'binding', (pod: KObject) => {
      const spec = (pod.spec ??= {}) as { nodeName?: string };
      if (pod.metadata.deletionTimestamp) throw errors.conflict({ group: '', plural: 'pods' }, info.name, 'pod is being deleted, cannot be assigned to a host');
      if (spec.nodeName) throw errors.conflict({ group: '', plural: 'pods' }, info.name, `pod ${info.name} is already assigned to node "${spec.nodeName}"`);
      spec.nodeName = node;
      const status = (pod.status ??= {}) as { conditions?: Array<Record<string, unknown>> };
      const conds = (status.conditions ??= []).filter((c) => c.type !== 'PodScheduled');
      conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() });
      status.conditions = conds;
      return pod;
    });
    sendJSON(res, 201, successStatus({}));
  };
}

/** PUT namespaces/<name>/finalize: the namespace controller clears spec.finalizers when empty. */
export function finalizeHandler(registry: Registry): SubresourceHandler {
  return async (info, def, req, res, q, user) => {
    if (info.verb !== 'update') throw errors.methodNotAllowed(info.verb, 'namespaces/finalize');
    const ctx = ctxFor(user, q);
    const obj = decodeObject(registry.resources, def, parseBody(await readBody(req), mediaType(req)), parseFieldValidation(q.get('fieldValidation')), ctx.warnings);
    const out = await registry.mutate(def, '', info.name, ctx, 'finalize', (ns) => {
      (ns.spec ??= {}) as Record<string, unknown>;
      (ns.spec as Record<string, unknown>).finalizers = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
      return ns;
    });
    sendJSON(res, 200, out);
  };
}

interface PDB extends KObject {
  spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } };
  status?: { disruptionsAllowed?: number };
}

/**
 * POST pods/<name>/eviction: a delete that respects PodDisruptionBudgets (429 while a budget
 * allows no disruption), as `kubectl drain` uses it.
 */
export function evictionHandler(registry: Registry): SubresourceHandler {
  return async (info, def, req, res, q, user) => {
    if (info.verb !== 'create') throw errors.methodNotAllowed(info.verb, 'pods/eviction');
    const body = parseBody(await readBody(req), mediaType(req)) as { deleteOptions?: Record<string, unknown> };
    const pod = await registry.get(def, info.namespace, info.name);
    const pdbDef = registry.resources.lookup('policy', 'v1', 'poddisruptionbudgets');
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    // Finished and not yet running pods do not count against budgets.
    if (pdbDef && phase === 'Running') {
      const { items } = await registry.list(pdbDef, info.namespace);
      const labels = pod.metadata.labels ?? {};
      const matching = (items as PDB[]).filter((p) => p.spec?.selector && selectorFromLabelSelector(p.spec.selector as never).matches(labels));
      if (matching.length > 1) throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      const pdb = matching[0];
      if (pdb && (pdb.status?.disruptionsAllowed ?? 0) < 1) {
        throw errors.tooManyRequests(`Cannot evict pod as it would violate the pod's disruption budget.`, 10);
      }
      if (pdb) {
        await registry.mutate(pdbDef, info.namespace, pdb.metadata.name!, ctxFor(user, q), 'status', (cur) => {
          const st = (cur.status ??= {}) as { disruptionsAllowed?: number; disruptedPods?: Record<string, string> };
          if ((st.disruptionsAllowed ?? 0) < 1) throw errors.tooManyRequests(`Cannot evict pod as it would violate the pod's disruption budget.`, 10);
          st.disruptionsAllowed = (st.disruptionsAllowed ?? 0) - 1;
          st.disruptedPods = { ...(st.disruptedPods ?? {}), [info.name]: now() };
          return cur;
        });
      }
    }
    const opts = (body?.deleteOptions ?? {}) as { gracePeriodSeconds?: number };
    await registry.delete(def, info.namespace, info.name, { gracePeriodSeconds: opts.gracePeriodSeconds }, ctxFor(user, q));
    sendJSON(res, 201, successStatus({}));
  };
}

/** POST serviceaccounts/<name>/token: a TokenRequest answered with a signed, expiring token. */
export function tokenRequestHandler(registry: Registry, tokens: ServiceAccountTokens): SubresourceHandler {
  return async (info, _def, req, res) => {
    if (info.verb !== 'create') throw errors.methodNotAllowed(info.verb, 'serviceaccounts/token');
    const body = parseBody(await readBody(req), mediaType(req)) as KObject & { spec?: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; name?: string; uid?: string } } };
    const saDef = registry.resources.lookup('', 'v1', 'serviceaccounts')!;
    const sa = await registry.get(saDef, info.namespace, info.name);
    const spec = body?.spec ?? {};
    let pod: { name: string; uid: string } | undefined;
    const bound = spec.boundObjectRef;
    if (bound?.kind === 'Pod' && bound.name) {
      const p = await registry.get(registry.resources.lookup('', 'v1', 'pods')!, info.namespace, bound.name);
      if (bound.uid && bound.uid !== p.metadata.uid) throw errors.conflict({ group: '', plural: 'pods' }, bound.name, `the UID in the bound object reference (${bound.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
      pod = { name: bound.name, uid: p.metadata.uid! };
    }
    const expirationSeconds = ServiceAccountTokens.expirationSeconds(spec.expirationSeconds);
    const { token, expiresAt } = tokens.issue({ namespace: info.namespace, name: info.name, uid: sa.metadata.uid! }, { audiences: spec.audiences, expirationSeconds, pod });
    sendJSON(res, 201, {
      kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: info.name, namespace: info.namespace, creationTimestamp: null },
      spec: { audiences: spec.audiences?.length ? spec.audiences : [tokens.issuer], expirationSeconds, boundObjectRef: bound ?? null },
      status: { token, expirationTimestamp: new Date(expiresAt * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
    });
  };
}
