// The cluster's certificates, made on first start the way k3s makes them: one CA, a serving
// certificate for the API server, an admin client certificate; kept under <dataDir>/tls and reused.
// ECDSA P-256 keys and certificates encoded here keep first start in the tens of milliseconds.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile, rename, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { isIP } from 'node:net';

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

export const DEFAULT_SERVICE_IP = '10.43.0.1';

/** Names every API server certificate carries, as kube-apiserver and k3s put them in. */
export function defaultSans(serviceIP = DEFAULT_SERVICE_IP): string[] {
  return [
    '127.0.0.1', '::1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local', serviceIP,
  ];
}

// ---- DER, just enough of it for X.509 v3 certificates (RFC 5280) ------------------------------
// Written out here rather than through an ASN.1 library: certificates are a fixed shape, and
// loading a general library cost more than everything else on first start.

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const TRUE = tlv(0x01, Buffer.from([0xff]));
const NULL = Buffer.from([0x05, 0x00]);
const explicit = (n: number, inner: Buffer) => tlv(0xa0 | n, inner);

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && b[i + 1] < 0x80) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after, as RFC 5280 requires; second precision. */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

const OID = {
  CN: '2.5.4.3', O: '2.5.4.10',
  basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15', extKeyUsage: '2.5.29.37', subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14', authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2',
  ecdsaSha256: '1.2.840.10045.4.3.2', ecdsaSha384: '1.2.840.10045.4.3.3', ecdsaSha512: '1.2.840.10045.4.3.4',
  rsaSha256: '1.2.840.113549.1.1.11',
};

/** Distinguished name: organizations first, then the common name, one attribute per RDN (as Go's pkix orders them). */
function name(commonName: string, organizations: string[] = []): Buffer {
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  return seq(...organizations.map((o) => rdn(OID.O, o)), rdn(OID.CN, commonName));
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical ? seq(oid(id), TRUE, octets(value)) : seq(oid(id), octets(value));
}

const KU = { digitalSignature: 0x80, keyEncipherment: 0x20, keyCertSign: 0x04, cRLSign: 0x02 };

/** keyUsage as a DER BIT STRING: one byte here, trailing zero bits counted as unused. */
function keyUsage(flags: number): Buffer {
  let unused = 0;
  while (unused < 7 && !(flags & (1 << unused))) unused++;
  return bits(Buffer.from([flags]), unused);
}

function generalNames(sans: string[]): Buffer {
  return seq(...sans.map((v) => {
    if (isIP(v) === 4) return tlv(0x87, Buffer.from(v.split('.').map(Number)));
    if (isIP(v) === 6) return tlv(0x87, Buffer.from(normalizeIP(v).split(':').flatMap((g) => { const n = parseInt(g, 16); return [n >> 8, n & 0xff]; })));
    return tlv(0x82, Buffer.from(v, 'ascii'));
  }));
}

/** RFC 5280's method 1 key identifier: SHA-1 of the subjectPublicKey bits. */
function keyId(key: KeyObject): Buffer {
  const raw = key.asymmetricKeyType === 'ec'
    ? (() => { const j = key.export({ format: 'jwk' }); return Buffer.concat([Buffer.from([4]), Buffer.from(j.x!, 'base64url'), Buffer.from(j.y!, 'base64url')]); })()
    : key.export({ type: 'pkcs1', format: 'der' });
  return createHash('sha1').update(raw).digest();
}

interface Signer {
  key: KeyObject;
  /** DER AlgorithmIdentifier of the signature, and the digest it uses. */
  alg: Buffer;
  hash: string;
}

/** A signer for a CA key of any kind Node reads (PKCS#8, SEC1 or PKCS#1 PEM; EC or RSA). */
function signerOf(key: KeyObject): Signer {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return { key, alg: seq(oid(OID.ecdsaSha384)), hash: 'sha384' };
    if (curve === 'secp521r1') return { key, alg: seq(oid(OID.ecdsaSha512)), hash: 'sha512' };
    return { key, alg: seq(oid(OID.ecdsaSha256)), hash: 'sha256' };
  }
  if (key.asymmetricKeyType === 'rsa') return { key, alg: seq(oid(OID.rsaSha256), NULL), hash: 'sha256' };
  throw new Error(`unsupported CA key type ${key.asymmetricKeyType}; use an EC or RSA key`);
}

interface CertSpec {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function signCertificate(spec: CertSpec, signer: Signer): string {
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial()),
    signer.alg,
    spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...spec.extensions)),
  );
  // Node signs ECDSA in DER form by default, which is the form X.509 carries.
  const signature = sign(signer.hash, tbs, signer.key);
  return pemOf('CERTIFICATE', seq(tbs, signer.alg, bits(signature)));
}

function pemOf(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

function serial(): Buffer {
  const b = randomBytes(16);
  b[0] &= 0x7f; // a positive INTEGER
  b[0] |= 0x01; // and never a leading zero byte, which DER would have to strip
  return b;
}

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

const exportKey = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;

interface LeafRequest {
  commonName: string;
  organizations?: string[];
  days?: number;
  usage: 'client' | 'server';
  sans?: string[];
}

async function issue(pki: Pick<Pki, 'caCert' | 'caKey'>, req: LeafRequest): Promise<CertAndKey> {
  const ca = new NodeX509(pki.caCert);
  const signer = signerOf(createPrivateKey(pki.caKey));
  const keys = newKeyPair();
  const now = Date.now();
  const extensions = [
    extension(OID.keyUsage, keyUsage(KU.digitalSignature | KU.keyEncipherment), true),
    extension(OID.extKeyUsage, seq(oid(req.usage === 'server' ? OID.serverAuth : OID.clientAuth))),
    extension(OID.basicConstraints, seq(), true),
    extension(OID.authorityKeyId, seq(tlv(0x80, keyId(ca.publicKey)))),
  ];
  const sans = unique(req.sans ?? []);
  if (sans.length) extensions.push(extension(OID.subjectAltName, generalNames(sans)));
  const cert = signCertificate({
    subject: name(req.commonName, req.organizations),
    issuer: ca.raw.subarray(...issuerNameRange(ca.raw)),
    publicKey: keys.publicKey,
    // A minute of slack for clocks of other machines that run a little behind.
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (req.days ?? LEAF_DAYS) * DAY),
    extensions,
  }, signer);
  return { cert, key: exportKey(keys.privateKey) };
}

/**
 * Where the CA's subject name sits in its DER, so a leaf's issuer is byte-for-byte the CA's
 * subject (chain building compares them exactly, whatever string types the CA used).
 */
function issuerNameRange(der: Buffer): [number, number] {
  const read = (at: number): { start: number; end: number; tag: number } => {
    const tag = der[at];
    let len = der[at + 1];
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
      start += n;
    }
    return { start, end: start + len, tag };
  };
  const cert = read(0);
  const tbs = read(cert.start);
  let at = tbs.start;
  const fields: Array<{ start: number; end: number; tag: number; at: number }> = [];
  while (at < tbs.end && fields.length < 6) {
    const f = read(at);
    fields.push({ ...f, at });
    at = f.end;
  }
  // version [0] (optional), serial, signature, issuer, validity, subject
  const off = fields[0].tag === 0xa0 ? 1 : 0;
  const subject = fields[off + 4];
  return [subject.at, subject.end];
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

function newCA(): CertAndKey {
  const keys = newKeyPair();
  const now = Date.now();
  const subject = name(`k8ts-server-ca@${Math.floor(now / 1000)}`);
  const cert = signCertificate({
    subject,
    issuer: subject,
    publicKey: keys.publicKey,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + CA_DAYS * DAY),
    extensions: [
      extension(OID.keyUsage, keyUsage(KU.digitalSignature | KU.keyCertSign | KU.cRLSign), true),
      extension(OID.basicConstraints, seq(TRUE), true),
      extension(OID.subjectKeyId, octets(keyId(keys.publicKey))),
    ],
  }, signerOf(keys.privateKey));
  return { cert, key: exportKey(keys.privateKey) };
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
    const ca = newCA();
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
