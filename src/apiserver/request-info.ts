// Parses a request path into what it addresses, as kube-apiserver's RequestInfoFactory does:
// /api/v1/namespaces/ns/pods/name/status, /apis/apps/v1/deployments, /api/v1/watch/pods ...

export interface RequestInfo {
  /** True for /api and /apis resource paths; false for /version, /healthz, discovery roots... */
  isResourceRequest: boolean;
  path: string;
  /** 'api' or 'apis' for resource requests. */
  prefix?: 'api' | 'apis';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** get list watch create update patch delete deletecollection (or proxy/connect for subresources that stream). */
  verb: string;
  /** Path segments after the subresource (pods/x/proxy/<path>). */
  rest: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path: pathname, group: '', version: '', namespace: '', resource: '', subresource: '', name: '', verb: method.toLowerCase(), rest: [],
  };
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'api' && parts[0] !== 'apis') return info;
  info.prefix = parts[0];
  let i = 1;
  if (info.prefix === 'apis') {
    if (parts.length < 3) return info; // /apis or /apis/group: discovery
    info.group = parts[i++];
  } else if (parts.length < 2) {
    return info; // /api
  }
  info.version = parts[i++];
  let rest = parts.slice(i);
  if (rest.length === 0) return info; // /api/v1: discovery
  info.isResourceRequest = true;

  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces') {
    if (rest.length >= 3) {
      // /namespaces/{ns}/{resource}...  or /namespaces/{ns}/{status|finalize}
      if (NAMESPACE_SUBRESOURCES.has(rest[2]) && rest.length === 3) {
        info.resource = 'namespaces';
        info.name = rest[1];
        info.subresource = rest[2];
        rest = [];
      } else {
        info.namespace = rest[1];
        rest = rest.slice(2);
      }
    } else {
      info.resource = 'namespaces';
      if (rest.length === 2) info.name = rest[1];
      rest = [];
    }
  }
  if (rest.length) {
    info.resource = rest[0];
    if (rest.length >= 2) info.name = rest[1];
    if (rest.length >= 3) info.subresource = rest[2];
    if (rest.length >= 4) info.rest = rest.slice(3);
  }

  const m = method.toUpperCase();
  if (watchPath) info.verb = 'watch';
  else if (m === 'GET' || m === 'HEAD') {
    const isWatch = ['1', 'true'].includes(query.get('watch') ?? '');
    info.verb = info.name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
  } else if (m === 'POST') info.verb = 'create';
  else if (m === 'PUT') info.verb = 'update';
  else if (m === 'PATCH') info.verb = 'patch';
  else if (m === 'DELETE') info.verb = info.name ? 'delete' : 'deletecollection';
  return info;
}
