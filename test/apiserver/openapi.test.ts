import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { builtinResources, definitions as builtinDefinitions } from '../../src/api/index.js';
import type { ResourceDef } from '../../src/api/resource.js';
import { int32, mapList, obj, ref, str, intOrString, type Definitions, type Schema } from '../../src/machinery/schema.js';
import { META } from '../../src/api/meta/v1.js';
import { buildOpenAPI, serveOpenAPI, type OpenAPI } from '../../src/apiserver/openapi.js';
import { buildDiscovery, serveDiscovery } from '../../src/apiserver/discovery.js';
import { ensurePki } from '../../src/apiserver/pki.js';
import { writeKubeconfig } from '../../src/apiserver/kubeconfig.js';
import { authenticate } from '../../src/apiserver/authn.js';

// ---- fixtures: the built-ins, plus a Pod until core/v1 declares one, plus a custom resource ------

const POD = 'io.k8s.api.core.v1.Pod';
const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';
const CONTAINER = 'io.k8s.api.core.v1.Container';
const CONTAINER_PORT = 'io.k8s.api.core.v1.ContainerPort';
const CRONTAB = 'com.example.stable.v1.CronTab';

const fixtureDefinitions: Record<string, Schema> = {
  [POD]: obj({ apiVersion: str(), kind: str(), metadata: ref(META.ObjectMeta, 'Standard object metadata.'), spec: ref(POD_SPEC, 'The desired behaviour of the pod.') }, 'A group of containers run together on a node.'),
  [POD_SPEC]: obj({
    containers: mapList(ref(CONTAINER), ['name'], 'The containers of the pod.'),
    restartPolicy: str('Always, OnFailure or Never.'),
  }, { description: 'The specification of a pod.', required: ['containers'] }),
  [CONTAINER]: obj({
    name: str('The name of the container, unique in the pod.'),
    image: str('The image to run.'),
    ports: mapList(ref(CONTAINER_PORT), ['containerPort', 'protocol'], 'Ports the container exposes.'),
  }, { description: 'A container in a pod.', required: ['name'] }),
  [CONTAINER_PORT]: obj({ containerPort: int32('The port number.'), protocol: str('TCP, UDP or SCTP.'), targetPort: intOrString('Port on the pod, by number or name.') }),
  [CRONTAB]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' }, kind: { type: 'string' },
      metadata: { $ref: `#/definitions/${META.ObjectMeta}`, description: 'Standard object metadata.' },
      spec: {
        type: 'object', description: 'What the cron tab runs.',
        properties: {
          cronSpec: { type: 'string', description: 'When to run, in cron syntax.' },
          image: { type: 'string', nullable: true, description: 'The image to run.' },
          replicas: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        },
      },
    },
    'x-kubernetes-group-version-kind': [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }],
  },
};

const podDef: ResourceDef = {
  group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'],
  schemaName: POD, subresources: { status: true },
};
const crontabs: ResourceDef = {
  group: 'stable.example.com', version: 'v1', kind: 'CronTab', plural: 'crontabs', singular: 'crontab', namespaced: true,
  shortNames: ['ct'], schemaName: CRONTAB, custom: true,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
};

const hasPods = builtinResources.some((r) => r.group === '' && r.plural === 'pods');
const resources: ResourceDef[] = [...builtinResources, ...(hasPods ? [] : [podDef]), crontabs];
const definitions: Definitions = new Map([
  ...Object.entries(fixtureDefinitions).filter(([name]) => !builtinDefinitions.has(name)),
  ...builtinDefinitions,
]);

type Json = any;
const doc = (api: OpenAPI, path: string): Json => JSON.parse(api.v3(path)!.body);

/** Every $ref in a document resolves to a definition in it. */
function danglingRefs(d: Json, prefix: string, defs: Record<string, unknown>): string[] {
  const out: string[] = [];
  // `properties` maps field names to schemas: a field may itself be called `$ref` (JSONSchemaProps has one).
  const walk = (x: unknown, inProperties = false) => {
    if (Array.isArray(x)) x.forEach((y) => walk(y));
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (inProperties) walk(v);
        else if (k === 'properties') walk(v, true);
        else if (k === '$ref') {
          if (typeof v !== 'string' || !v.startsWith(prefix) || !(v.slice(prefix.length) in defs)) out.push(String(v));
        } else walk(v);
      }
    }
  };
  walk(d);
  return out;
}

describe('OpenAPI v3', () => {
  const api = buildOpenAPI(resources, definitions, { version: 'v1.32.5+k8ts' });

  test('the index lists each group version with the sha512 of its document', () => {
    const index = JSON.parse(api.v3Index().body);
    assert.ok(index.paths['api/v1']);
    assert.ok(index.paths['apis/stable.example.com/v1']);
    assert.deepEqual(Object.keys(index.paths)[0], 'api/v1');
    for (const [p, { serverRelativeURL }] of Object.entries<{ serverRelativeURL: string }>(index.paths)) {
      const body = api.v3(p)!.body;
      const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
      assert.equal(serverRelativeURL, `/openapi/v3/${p}?hash=${hash}`);
    }
    assert.equal(api.v3('apis/nope/v1'), undefined);
  });

  test('a group version document is OpenAPI 3.0 with every operation of every resource', () => {
    const d = doc(api, 'api/v1');
    assert.equal(d.openapi, '3.0.0');
    assert.equal(d.info.version, 'v1.32.5+k8ts');
    const p = d.paths;
    assert.deepEqual(Object.keys(p['/api/v1/namespaces/{namespace}/configmaps']).sort(), ['delete', 'get', 'parameters', 'post']);
    assert.deepEqual(Object.keys(p['/api/v1/namespaces/{namespace}/configmaps/{name}']).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
    assert.deepEqual(Object.keys(p['/api/v1/namespaces/{namespace}/pods/{name}/status']).sort(), ['get', 'parameters', 'patch', 'put']);
    assert.ok(p['/api/v1/configmaps'].get);
    assert.ok(p['/api/v1/watch/namespaces/{namespace}/configmaps/{name}'].get);
    assert.ok(p['/api/v1/'].get);
    const actions = Object.values<Json>(p['/api/v1/namespaces/{namespace}/configmaps/{name}']).map((o) => o['x-kubernetes-action']).filter(Boolean).sort();
    assert.deepEqual(actions, ['delete', 'get', 'patch', 'put']);
    const list = p['/api/v1/namespaces/{namespace}/configmaps'].get;
    assert.equal(list.operationId, 'listCoreV1NamespacedConfigMap');
    assert.deepEqual(list.tags, ['core_v1']);
    assert.deepEqual(list['x-kubernetes-group-version-kind'], { group: '', kind: 'ConfigMap', version: 'v1' });
    assert.equal(list.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.ConfigMapList');
    assert.ok(list.parameters.some((x: Json) => x.name === 'labelSelector' && x.in === 'query' && x.schema.type === 'string'));
    assert.equal(p['/api/v1/namespaces/{namespace}/configmaps'].delete.operationId, 'deleteCoreV1CollectionNamespacedConfigMap');
  });

  test('PATCH operations carry the GVK, the patch content types and fieldValidation (what kubectl apply checks)', () => {
    const patch = doc(api, 'api/v1').paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'ConfigMap', version: 'v1' });
    assert.deepEqual(Object.keys(patch.requestBody.content).sort(), [
      'application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json',
    ]);
    assert.deepEqual(patch.parameters.map((x: Json) => x.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);

    const cr = doc(api, 'apis/stable.example.com/v1').paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
    assert.deepEqual(Object.keys(cr.requestBody.content).sort(), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
    assert.ok(cr.parameters.some((x: Json) => x.name === 'fieldValidation'));
    assert.equal(cr.operationId, 'patchStableExampleComV1NamespacedCronTab');
    assert.deepEqual(cr.tags, ['stableExampleCom_v1']);
  });

  test('every PATCH of a kind lists fieldValidation, since kubectl looks only at the first it finds', () => {
    for (const p of api.v3Paths()) {
      for (const item of Object.values<Json>(doc(api, p).paths)) {
        if (item.patch) assert.ok(item.patch.parameters.some((x: Json) => x.name === 'fieldValidation'), item.patch.operationId);
      }
    }
  });

  test('scale subresources speak autoscaling/v1 Scale', () => {
    const d = doc(api, 'apis/stable.example.com/v1');
    const scale = d.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale'];
    assert.deepEqual(scale.get['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    assert.equal(scale.put.requestBody.content['*/*'].schema.$ref, '#/components/schemas/io.k8s.api.autoscaling.v1.Scale');
    assert.deepEqual(d.components.schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
  });

  test('components hold every reachable definition, kinds and lists tagged with their GVK', () => {
    for (const p of api.v3Paths()) {
      const d = doc(api, p);
      assert.deepEqual(danglingRefs(d, '#/components/schemas/', d.components.schemas), [], p);
    }
    const s = doc(api, 'api/v1').components.schemas;
    for (const name of [POD, POD_SPEC, CONTAINER, META.ObjectMeta, META.ListMeta, META.Status, META.DeleteOptions, META.WatchEvent,
      'io.k8s.apimachinery.pkg.apis.meta.v1.Patch', 'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList']) {
      assert.ok(s[name], `missing ${name}`);
    }
    assert.deepEqual(s['io.k8s.api.core.v1.ConfigMap']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    assert.deepEqual(s['io.k8s.api.core.v1.ConfigMapList']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMapList', version: 'v1' }]);
    assert.equal(s['io.k8s.api.core.v1.ConfigMapList'].properties.items.items.$ref, '#/components/schemas/io.k8s.api.core.v1.ConfigMap');
    assert.deepEqual(s[META.Status]['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Status', version: 'v1' }]);
  });

  test('schemas use v3 conventions: refs with siblings inside allOf, patch strategy carried, int-or-string by reference', () => {
    const s = doc(api, 'api/v1').components.schemas;
    const pod = s[POD];
    assert.ok(pod.properties.metadata.allOf, JSON.stringify(pod.properties.metadata));
    assert.equal(pod.properties.metadata.allOf[0].$ref, `#/components/schemas/${META.ObjectMeta}`);
    assert.equal(typeof pod.properties.metadata.description, 'string');
    const containers = s[POD_SPEC].properties.containers;
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    if (!hasPods) {
      const target = s[CONTAINER_PORT].properties.targetPort;
      assert.equal(target.allOf[0].$ref, `#/components/schemas/${META.IntOrString}`);
      assert.deepEqual(s[META.IntOrString].oneOf, [{ type: 'integer' }, { type: 'string' }]);
      assert.equal(s[META.IntOrString].format, 'int-or-string');
    }
    // A custom resource's schema is published as written.
    const ct = doc(api, 'apis/stable.example.com/v1').components.schemas[CRONTAB];
    assert.equal(ct.properties.spec.properties.image.nullable, true);
    assert.deepEqual(ct.properties.spec.properties.replicas.anyOf, [{ type: 'integer' }, { type: 'string' }]);
  });

  test('documents are cached; a rebuild reuses unchanged group versions and redoes changed ones', () => {
    assert.equal(api.v3('api/v1'), api.v3('api/v1'));
    const changedCrontabs: ResourceDef = { ...crontabs, shortNames: ['ct', 'cron'] };
    const defs2 = new Map(definitions);
    const next = buildOpenAPI([...resources.filter((r) => r !== crontabs), changedCrontabs], defs2, { version: 'v1.32.5+k8ts' }, api);
    assert.equal(next.v3('api/v1'), api.v3('api/v1'));
    assert.notEqual(next.v3('apis/stable.example.com/v1'), api.v3('apis/stable.example.com/v1'));

    // A changed schema of a custom resource rebuilds its document too.
    const defs3 = new Map(definitions);
    defs3.set(CRONTAB, { ...fixtureDefinitions[CRONTAB], description: 'changed' });
    const third = buildOpenAPI(resources, defs3, { version: 'v1.32.5+k8ts' }, api);
    assert.equal(third.v3('api/v1'), api.v3('api/v1'));
    assert.notEqual(third.v3('apis/stable.example.com/v1')!.hash, api.v3('apis/stable.example.com/v1')!.hash);
    assert.equal(doc(third, 'apis/stable.example.com/v1').components.schemas[CRONTAB].description, 'changed');

    const gone = buildOpenAPI(resources.filter((r) => r !== crontabs), definitions, {}, api);
    assert.equal(gone.v3('apis/stable.example.com/v1'), undefined);
    assert.ok(!JSON.parse(gone.v3Index().body).paths['apis/stable.example.com/v1']);
  });

  test('serving: ETag, If-None-Match, immutable by current hash, redirect from a stale one', () => {
    const current = api.v3('api/v1')!;
    const byHash = serveOpenAPI(api, '/openapi/v3/api/v1', new URLSearchParams({ hash: current.hash }))!;
    assert.equal(byHash.status, 200);
    assert.equal(byHash.headers['Cache-Control'], 'public, immutable');
    assert.equal(byHash.headers['Content-Type'], 'application/json');
    assert.equal(byHash.body, current.body);
    const stale = serveOpenAPI(api, '/openapi/v3/api/v1', new URLSearchParams({ hash: 'ABC' }))!;
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.Location, `/openapi/v3/api/v1?hash=${current.hash}`);
    const plain = serveOpenAPI(api, '/openapi/v3/api/v1', new URLSearchParams())!;
    assert.equal(plain.headers.ETag, current.etag);
    assert.equal(plain.headers['Cache-Control'], 'no-cache, private');
    assert.equal(serveOpenAPI(api, '/openapi/v3/api/v1', new URLSearchParams(), { ifNoneMatch: current.etag })!.status, 304);
    assert.equal(serveOpenAPI(api, '/openapi/v3/apis/nope/v1', new URLSearchParams())!.status, 404);
    assert.equal(serveOpenAPI(api, '/openapi/v3', new URLSearchParams())!.body, api.v3Index().body);
    assert.equal(serveOpenAPI(api, '/openapi/v2', new URLSearchParams())!.body, api.v2().body);
    assert.equal(serveOpenAPI(api, '/api/v1', new URLSearchParams()), undefined);
    // /openapi/v2 is also served in protobuf (test/apiserver/openapi-v2-proto.test.ts); v3 is JSON only.
    const protobufOnly = serveOpenAPI(api, '/openapi/v3/api/v1', new URLSearchParams(), { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' })!;
    assert.equal(protobufOnly.status, 406);
    assert.equal(JSON.parse(String(protobufOnly.body)).reason, 'NotAcceptable');
    assert.equal(serveOpenAPI(api, '/openapi/v2', new URLSearchParams(), { accept: 'application/json, */*' })!.status, 200);
  });
});

describe('OpenAPI v2', () => {
  const api = buildOpenAPI(resources, definitions);
  const d = JSON.parse(api.v2().body);

  test('is swagger 2.0 with definitions and paths for every group version, refs resolving', () => {
    assert.equal(d.swagger, '2.0');
    assert.ok(d.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch);
    assert.ok(d.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs'].get);
    assert.deepEqual(danglingRefs(d, '#/definitions/', d.definitions), []);
  });

  test('kinds carry x-kubernetes-group-version-kind; patch strategy and merge key are carried', () => {
    assert.deepEqual(d.definitions['io.k8s.api.core.v1.ConfigMap']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    const containers = d.definitions[POD_SPEC].properties.containers;
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers.items.$ref, `#/definitions/${CONTAINER}`);
    const deleteOptions = d.definitions[META.DeleteOptions]['x-kubernetes-group-version-kind'];
    assert.ok(deleteOptions.some((g: Json) => g.group === 'stable.example.com' && g.version === 'v1'));
  });

  test('refs keep their description beside them; swagger-2.0-less keywords are left out', () => {
    assert.equal(d.definitions[POD].properties.metadata.$ref, `#/definitions/${META.ObjectMeta}`);
    assert.equal(typeof d.definitions[POD].properties.metadata.description, 'string');
    const spec = d.definitions[CRONTAB].properties.spec.properties;
    assert.equal(spec.image.nullable, undefined);
    assert.equal(spec.replicas.anyOf, undefined);
    assert.equal(d.definitions[META.IntOrString].type, 'string');
    assert.equal(d.definitions[META.IntOrString].format, 'int-or-string');
  });

  test('PATCH consumes the patch content types, with a body parameter', () => {
    const patch = d.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
    assert.equal(patch.parameters[0].in, 'body');
    assert.equal(patch.parameters[0].schema.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    assert.ok(patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.type === 'string'));
    const crPatch = d.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
    assert.ok(!crPatch.consumes.includes('application/strategic-merge-patch+json'));
  });
});

// ---- the real kubectl against a tiny server serving these documents ------------------------------

describe('kubectl v1.32 reads our discovery and OpenAPI', () => {
  let dir: string;
  let server: Server;
  let kubeconfig: string;
  const api = buildOpenAPI(resources, definitions, { version: 'v1.32.5+k8ts' });
  const discovery = buildDiscovery(resources);
  const seen: string[] = [];
  /** Off: answer /api and /apis like a server from before aggregated discovery. */
  let aggregated = true;
  /** Objects the tiny server holds for kubectl apply, by path, and the patches it received. */
  const objects = new Map<string, Json>();
  const patches: Array<{ path: string; contentType: string; query: string; body: Json }> = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-openapi-'));
    const pki = await ensurePki(dir);
    server = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://localhost');
      seen.push(`${req.method} ${url.pathname}`);
      const json = (code: number, body: unknown, type = 'application/json') => {
        res.writeHead(code, { 'Content-Type': type });
        res.end(JSON.stringify(body));
      };
      if (!authenticate(req)) return json(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
      const p = url.pathname;
      if (p === '/version') return json(200, { major: '1', minor: '32', gitVersion: 'v1.32.5+k8ts', platform: 'linux/amd64' });
      const stored = objects.get(p);
      if (stored && req.method === 'GET') return json(200, stored);
      if (stored && req.method === 'PATCH') {
        let body = '';
        req.on('data', (c) => (body += c)).on('end', () => {
          patches.push({ path: p, contentType: String(req.headers['content-type']), query: url.search, body: JSON.parse(body) });
          json(200, stored);
        });
        return;
      }
      const legacyOnly = !aggregated && (p === '/api' || p === '/apis');
      const disc = serveDiscovery(discovery, p, legacyOnly ? 'application/json' : req.headers.accept, req.headers['if-none-match']);
      if (disc) {
        res.writeHead(disc.status, disc.headers);
        return res.end(disc.body);
      }
      const doc = serveOpenAPI(api, p, url.searchParams, { accept: req.headers.accept, ifNoneMatch: req.headers['if-none-match'] });
      if (doc) {
        res.writeHead(doc.status, doc.headers);
        return res.end(doc.body);
      }
      json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeKubeconfig(kubeconfig, {
      server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey,
    });
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  const kubectl = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig }, timeout: 30_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr || err.message}`));
        else resolve(stdout);
      });
    });

  test('kubectl explain configmap.data', async () => {
    const out = await kubectl('explain', 'configmap.data');
    assert.match(out, /^KIND:\s+ConfigMap$/m);
    assert.match(out, /^VERSION:\s+v1$/m);
    assert.match(out, /^FIELD: data <map\[string\]string>$/m);
    assert.match(out, /DESCRIPTION:\n\s+\S/);
    assert.ok(seen.includes('GET /openapi/v3') && seen.includes('GET /openapi/v3/api/v1'), seen.join('\n'));
  });

  test('kubectl explain pods.spec.containers follows references through lists', async () => {
    const out = await kubectl('explain', 'pods.spec.containers');
    assert.match(out, /^KIND:\s+Pod$/m);
    assert.match(out, /^FIELD: containers <\[\]Container>$/m);
    assert.match(out, /^FIELDS:$/m);
    assert.match(out, /^\s+name\t<string>( -required-)?$/m);
    assert.match(out, /^\s+image\t<string>$/m);
  });

  test('kubectl explain on a custom resource, with its group', async () => {
    const out = await kubectl('explain', 'crontabs.spec');
    assert.match(out, /^GROUP:\s+stable.example.com$/m);
    assert.match(out, /^KIND:\s+CronTab$/m);
    assert.match(out, /^\s+cronSpec\t<string>$/m);
  });

  test('kubectl explain --recursive walks the whole schema', async () => {
    const out = await kubectl('explain', 'configmaps', '--recursive');
    assert.match(out, /^\s+metadata\t<ObjectMeta>$/m);
    assert.match(out, /^\s+ownerReferences\t<\[\]OwnerReference>$/m);
    assert.match(out, /^\s+creationTimestamp\t<string>$/m);
  });

  test('kubectl api-resources and api-versions read our aggregated discovery', async () => {
    const out = await kubectl('api-resources', '--no-headers');
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const cm = rows.find((r) => r[0] === 'configmaps')!;
    assert.deepEqual(cm, ['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
    const ct = rows.find((r) => r[0] === 'crontabs')!;
    assert.deepEqual(ct, ['crontabs', 'ct', 'stable.example.com/v1', 'true', 'CronTab']);
    const versions = (await kubectl('api-versions')).trim().split('\n');
    assert.ok(versions.includes('v1') && versions.includes('stable.example.com/v1'), versions.join(' '));
    assert.ok(!seen.includes('GET /api/v1'), 'kubectl should not need the legacy per-group-version lists');
  });

  test('kubectl apply: strategic merge patch with server-side strict validation for built-ins, merge patch for custom resources', async () => {
    const meta = (name: string, applied: Json) => ({
      name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) },
    });
    const cmApplied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', namespace: 'default' }, data: { a: '1' } };
    objects.set('/api/v1/namespaces/default/configmaps/demo', { ...cmApplied, metadata: meta('demo', cmApplied) });
    const ctApplied = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'tick', namespace: 'default' }, spec: { cronSpec: '* * * * *' } };
    objects.set('/apis/stable.example.com/v1/namespaces/default/crontabs/tick', { ...ctApplied, metadata: meta('tick', ctApplied) });
    const manifest = join(dir, 'manifest.yaml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(manifest, [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  namespace: default\ndata:\n  a: "2"\n',
      'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: tick\n  namespace: default\nspec:\n  cronSpec: "*/5 * * * *"\n',
    ].join('---\n'));
    patches.length = 0;
    await kubectl('apply', '-f', manifest);
    const cm = patches.find((x) => x.path.endsWith('/configmaps/demo'))!;
    assert.ok(cm, JSON.stringify(patches));
    assert.equal(cm.contentType, 'application/strategic-merge-patch+json');
    assert.match(cm.query, /fieldValidation=Strict/);
    assert.match(cm.query, /fieldManager=kubectl-client-side-apply/);
    assert.deepEqual(cm.body.data, { a: '2' });
    const ct = patches.find((x) => x.path.endsWith('/crontabs/tick'))!;
    assert.ok(ct, JSON.stringify(patches));
    assert.equal(ct.contentType, 'application/merge-patch+json');
    assert.match(ct.query, /fieldValidation=Strict/);
    assert.deepEqual(ct.body.spec, { cronSpec: '*/5 * * * *' });
  });

  test('kubectl reads the legacy discovery documents from a server without aggregated discovery', async () => {
    aggregated = false;
    seen.length = 0;
    try {
      const out = await kubectl('api-resources', '--no-headers', '--cached=false');
      assert.match(out, /^crontabs\s+ct\s+stable.example.com\/v1\s+true\s+CronTab$/m);
      assert.match(out, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
      assert.ok(seen.includes('GET /api/v1') && seen.includes('GET /apis/stable.example.com/v1'), seen.join('\n'));
      const explained = await kubectl('explain', 'ct.spec.cronSpec');
      assert.match(explained, /^FIELD: cronSpec <string>$/m);
    } finally {
      aggregated = true;
    }
  });
});
