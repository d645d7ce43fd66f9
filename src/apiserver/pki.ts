// The cluster's certificates, made on first start the way k3s makes them: one CA, a serving
// certificate for the API server, an admin client certificate; kept under <dataDir>/tls and reused.
// ECDSA P-256 through WebCrypto keeps first start in the tens of milliseconds.
import { webcrypto, randomBytes, createPrivateKey, X509Certificate as NodeX509 } from 'node:crypto';
import type { webcrypto as WC } from 'node:crypto';
import { mkdir, readFile, writeFile, rename, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { isIP } from 'node:net';

type X509Lib = typeof import('@peculiar/x509');

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
}

export interface CertAndKey {
  cert: string;
  key: string;
}

export interface PkiOptions {
  /** Extra subject alternative names for the serving certificate (DNS names or IPs). */
  sans?: string[];
  /** The first address of the service CIDR, the `kubernetes` Service's ClusterIP. */
  serviceIP?: string;
}

const DAY = 86_400_000;
const CA_DAYS = 3650;
const LEAF_DAYS = 365;
/** Like k3s, leaf certificates are renewed on start when they expire within this many days. */
const RENEW_DAYS = 90;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export const DEFAULT_SERVICE_IP = '10.43.0.1';

/** Names every API server certificate carries, as kube-apiserver and k3s put them in. */
export function defaultSans(serviceIP = DEFAULT_SERVICE_IP): string[] {
  return [
    '127.0.0.1', '::1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local', serviceIP,
  ];
}

let lib: Promise<X509Lib> | undefined;

/**
 * @peculiar/x509 registers its parsers through tsyringe, which insists on a Reflect metadata
 * polyfill being present. The library only stores and reads constructor metadata, so a small
 * WeakMap-backed stand-in is enough; it is installed only when no polyfill is loaded already.
 */
function x509(): Promise<X509Lib> {
  lib ??= (async () => {
    const R = Reflect as unknown as Record<string, unknown>;
    if (typeof R.getMetadata !== 'function') {
      const store = new WeakMap<object, Map<unknown, Map<unknown, unknown>>>();
      const bucket = (target: object, prop: unknown, create: boolean) => {
        let byProp = store.get(target);
        if (!byProp && create) store.set(target, (byProp = new Map()));
        let m = byProp?.get(prop);
        if (!m && create && byProp) byProp.set(prop, (m = new Map()));
        return m;
      };
      R.defineMetadata = (key: unknown, value: unknown, target: object, prop?: unknown) => { bucket(target, prop, true)!.set(key, value); };
      R.getOwnMetadata = (key: unknown, target: object, prop?: unknown) => bucket(target, prop, false)?.get(key);
      R.hasOwnMetadata = (key: unknown, target: object, prop?: unknown) => bucket(target, prop, false)?.has(key) ?? false;
      R.getMetadata = (key: unknown, target: object, prop?: unknown) => {
        for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
          const m = bucket(t, prop, false);
          if (m?.has(key)) return m.get(key);
        }
        return undefined;
      };
      R.hasMetadata = (key: unknown, target: object, prop?: unknown) => (R.getMetadata as Function)(key, target, prop) !== undefined;
      R.metadata = (key: unknown, value: unknown) => (target: object, prop?: unknown) => { bucket(target, prop, true)!.set(key, value); };
    }
    const mod = await import('@peculiar/x509');
    mod.cryptoProvider.set(webcrypto as never);
    return mod;
  })();
  return lib;
}

const subtle = webcrypto.subtle;

function pemOf(label: string, der: ArrayBuffer | Buffer): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // a positive INTEGER
  b[0] |= 0x01; // and never a leading zero byte, which DER would have to strip
  return b.toString('hex');
}

async function newKeyPair(): Promise<WC.CryptoKeyPair> {
  return (await subtle.generateKey(EC, true, ['sign', 'verify'])) as WC.CryptoKeyPair;
}

async function exportKey(key: WC.CryptoKey): Promise<string> {
  return pemOf('PRIVATE KEY', await subtle.exportKey('pkcs8', key));
}

/** Imports a CA key of any kind Node reads (PKCS#8, SEC1 or PKCS#1 PEM; EC or RSA) for signing. */
async function importSigningKey(pem: string): Promise<{ key: WC.CryptoKey; alg: WC.Algorithm | WC.EcdsaParams }> {
  const ko = createPrivateKey(pem);
  const der = ko.export({ type: 'pkcs8', format: 'der' });
  if (ko.asymmetricKeyType === 'ec') {
    const curve = ko.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : 'P-256';
    const hash = namedCurve === 'P-384' ? 'SHA-384' : namedCurve === 'P-521' ? 'SHA-512' : 'SHA-256';
    const key = await subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve }, false, ['sign']);
    return { key, alg: { name: 'ECDSA', hash } as WC.EcdsaParams };
  }
  if (ko.asymmetricKeyType === 'rsa') {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const key = await subtle.importKey('pkcs8', der, alg, false, ['sign']);
    return { key, alg };
  }
  throw new Error(`unsupported CA key type ${ko.asymmetricKeyType}; use an EC or RSA key`);
}

type Name = Array<Record<string, string[]>>;

function nameOf(commonName: string, organizations: string[] = []): Name {
  const n: Name = [];
  if (organizations.length) n.push({ O: organizations });
  n.push({ CN: [commonName] });
  return n;
}

interface LeafRequest {
  commonName: string;
  organizations?: string[];
  days?: number;
  usage: 'client' | 'server';
  sans?: string[];
}

async function issue(pki: Pick<Pki, 'caCert' | 'caKey'>, req: LeafRequest): Promise<CertAndKey> {
  const x = await x509();
  const ca = new x.X509Certificate(pki.caCert);
  const { key: caKey, alg } = await importSigningKey(pki.caKey);
  const keys = await newKeyPair();
  const now = Date.now();
  const extensions: InstanceType<X509Lib['Extension']>[] = [
    new x.BasicConstraintsExtension(false, undefined, true),
    new x.KeyUsagesExtension(x.KeyUsageFlags.digitalSignature | x.KeyUsageFlags.keyEncipherment, true),
    new x.ExtendedKeyUsageExtension([req.usage === 'server' ? x.ExtendedKeyUsage.serverAuth : x.ExtendedKeyUsage.clientAuth]),
    await x.AuthorityKeyIdentifierExtension.create(ca),
  ];
  if (req.sans?.length) {
    const names = unique(req.sans).map((v) => ({ type: (isIP(v) ? 'ip' : 'dns') as 'ip' | 'dns', value: v }));
    extensions.push(new x.SubjectAlternativeNameExtension(names));
  }
  const cert = await x.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: nameOf(req.commonName, req.organizations),
    issuer: ca.subjectName,
    // A minute of slack for clocks of other machines that run a little behind.
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (req.days ?? LEAF_DAYS) * DAY),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: alg,
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs.map((s) => s.trim()).filter(Boolean))];
}

/** A client certificate signed by the cluster CA: CN is the user, O the groups (e.g. system:nodes). */
export function issueClientCert(
  pki: Pick<Pki, 'caCert' | 'caKey'>,
  opts: { commonName: string; organizations?: string[]; days?: number },
): Promise<CertAndKey> {
  return issue(pki, { ...opts, usage: 'client' });
}

/** A serving certificate signed by the cluster CA, e.g. for a kubelet's HTTPS endpoint. */
export function issueServingCert(
  pki: Pick<Pki, 'caCert' | 'caKey'>,
  opts: { commonName: string; sans: string[]; days?: number; organizations?: string[] },
): Promise<CertAndKey> {
  return issue(pki, { ...opts, usage: 'server' });
}

async function newCA(): Promise<CertAndKey> {
  const x = await x509();
  const keys = await newKeyPair();
  const now = Date.now();
  const name = [{ CN: [`k8ts-server-ca@${Math.floor(now / 1000)}`] }];
  const cert = await x.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + CA_DAYS * DAY),
    keys,
    signingAlgorithm: { ...EC_SIGN },
    extensions: [
      new x.BasicConstraintsExtension(true, undefined, true),
      new x.KeyUsagesExtension(x.KeyUsageFlags.keyCertSign | x.KeyUsageFlags.cRLSign | x.KeyUsageFlags.digitalSignature, true),
      await x.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Writes through a temporary file so a crash never leaves half a key behind. */
async function writeSecure(file: string, data: string, mode: number): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode);
  await rename(tmp, file);
}

/** Whether a stored leaf certificate can be kept: signed by this CA, not near expiry, all SANs present. */
function stillGood(certPem: string | undefined, keyPem: string | undefined, ca: NodeX509, sans: string[] = []): boolean {
  if (!certPem || !keyPem) return false;
  try {
    const c = new NodeX509(certPem);
    if (!c.checkIssued(ca) || !c.verify(ca.publicKey)) return false;
    if (Date.parse(c.validTo) - Date.now() < RENEW_DAYS * DAY) return false;
    if (!c.checkPrivateKey(createPrivateKey(keyPem))) return false;
    const have = new Set((c.subjectAltName ?? '').split(/,\s*/).map((e) => e.replace(/^(DNS|IP Address):/, '').toLowerCase()));
    return sans.every((s) => have.has(normalizeIP(s).toLowerCase()));
  } catch {
    return false;
  }
}

/** Node prints IPv6 SANs in full form; compare in that form. */
function normalizeIP(s: string): string {
  if (isIP(s) !== 6) return s;
  const [head, tail = ''] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = s.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.replace(/^0+(?=.)/, '').toUpperCase()).join(':');
}

/**
 * Loads the cluster PKI from <dataDir>/tls, creating what is missing. The CA is never replaced
 * once made (every issued credential depends on it); leaf certificates are reissued when they
 * near expiry or when the serving certificate lacks a requested SAN.
 */
export async function ensurePki(dataDir: string, opts: PkiOptions = {}): Promise<Pki> {
  const dir = join(dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const f = {
    caCert: join(dir, 'server-ca.crt'), caKey: join(dir, 'server-ca.key'),
    serverCert: join(dir, 'serving-kube-apiserver.crt'), serverKey: join(dir, 'serving-kube-apiserver.key'),
    adminCert: join(dir, 'client-admin.crt'), adminKey: join(dir, 'client-admin.key'),
  };
  let caCert = await readIfExists(f.caCert);
  let caKey = await readIfExists(f.caKey);
  if (!caCert !== !caKey) {
    throw new Error(`${dir} holds only half of the cluster CA (${caCert ? f.caKey : f.caCert} is missing); restore it or remove ${f.caCert} and ${f.caKey} to make a new CA`);
  }
  if (!caCert || !caKey) {
    const ca = await newCA();
    caCert = ca.cert;
    caKey = ca.key;
    await writeSecure(f.caKey, caKey, 0o600);
    await writeSecure(f.caCert, caCert, 0o644);
  }
  const caPair = { caCert, caKey };
  const ca = new NodeX509(caCert);
  const sans = unique([...defaultSans(opts.serviceIP), ...(opts.sans ?? [])]);

  let serverCert = await readIfExists(f.serverCert);
  let serverKey = await readIfExists(f.serverKey);
  let adminCert = await readIfExists(f.adminCert);
  let adminKey = await readIfExists(f.adminKey);
  const [server, admin] = await Promise.all([
    stillGood(serverCert, serverKey, ca, sans) ? undefined : issueServingCert(caPair, { commonName: 'kube-apiserver', sans }),
    stillGood(adminCert, adminKey, ca) ? undefined : issueClientCert(caPair, { commonName: 'system:admin', organizations: ['system:masters'] }),
  ]);
  if (server) {
    ({ cert: serverCert, key: serverKey } = server);
    await writeSecure(f.serverKey, serverKey, 0o600);
    await writeSecure(f.serverCert, serverCert, 0o644);
  }
  if (admin) {
    ({ cert: adminCert, key: adminKey } = admin);
    await writeSecure(f.adminKey, adminKey, 0o600);
    await writeSecure(f.adminCert, adminCert, 0o644);
  }
  return { caCert, caKey, serverCert: serverCert!, serverKey: serverKey!, adminCert: adminCert!, adminKey: adminKey! };
}
