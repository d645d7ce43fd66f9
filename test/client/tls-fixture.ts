// A throwaway CA with a serving certificate for 127.0.0.1 and a client certificate, made by the
// cluster's own PKI code, so the REST client's TLS settings (CA, mutual TLS) meet a real handshake.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../../src/apiserver/pki.js';

export interface TlsFixture {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export async function makeTls(): Promise<TlsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-tls-'));
  try {
    const pki = await ensurePki(dir);
    return { ca: pki.caCert, serverCert: pki.serverCert, serverKey: pki.serverKey, clientCert: pki.adminCert, clientKey: pki.adminKey };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
