// A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, so the REST
// client's TLS settings (CA, mutual TLS) are exercised against a real handshake.
import './reflect-shim.js';
import { webcrypto, KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface TlsFixture {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

async function keyPem(k: webcrypto.CryptoKey): Promise<string> {
  return KeyObject.from(k).export({ type: 'pkcs8', format: 'pem' }).toString();
}

export async function makeTls(): Promise<TlsFixture> {
  const caKeys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=test-ca',
    keys: caKeys as never,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 60_000),
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const leaf = async (cn: string, usage: string, san?: x509.JsonGeneralNames) => {
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const exts: x509.Extension[] = [new x509.ExtendedKeyUsageExtension([usage]), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature)];
    if (san) exts.push(new x509.SubjectAlternativeNameExtension(san));
    const cert = await x509.X509CertificateGenerator.create({
      subject: cn, issuer: ca.subject, publicKey: keys.publicKey as never, signingKey: caKeys.privateKey as never, signingAlgorithm: alg,
      notBefore: new Date(Date.now() - 60_000), extensions: exts,
    });
    return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
  };
  const server = await leaf('CN=kube-apiserver', x509.ExtendedKeyUsage.serverAuth, [{ type: 'ip', value: '127.0.0.1' }, { type: 'dns', value: 'localhost' }]);
  const client = await leaf('CN=tester,O=system:masters', x509.ExtendedKeyUsage.clientAuth);
  return { ca: ca.toString('pem'), serverCert: server.cert, serverKey: server.key, clientCert: client.cert, clientKey: client.key };
}
