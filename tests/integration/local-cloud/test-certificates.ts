import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway certificate authority with a server certificate for 127.0.0.1 and one device
 * certificate, made with the openssl CLI at test time (nothing secret is committed).
 */
export interface TestCertificates {
  readonly caCert: Buffer;
  readonly serverKey: Buffer;
  readonly serverCert: Buffer;
  readonly deviceKey: Buffer;
  readonly deviceCert: Buffer;
  /** Signed by another CA: a certificate the broker must refuse. */
  readonly strangerKey: Buffer;
  readonly strangerCert: Buffer;
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'iot-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  /** A new RSA key `<name>.key` and either a self-signed CA certificate or a signing request. */
  const newKey = (name: string, ...output: string[]) =>
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      ...output,
    );
  const authority = (name: string) => newKey(name, '-x509', '-days', '2', '-out', `${name}.pem`);
  const issue = (name: string, ca: string, extensions: string) => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    newKey(name, '-out', `${name}.csr`);
    openssl(
      ...['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial'],
      ...['-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`],
    );
  };
  try {
    authority('test-ca');
    authority('other-ca');
    issue('server', 'test-ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    issue('device', 'test-ca', 'extendedKeyUsage=clientAuth\n');
    issue('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
    const read = (file: string) => readFileSync(join(dir, file));
    return {
      caCert: read('test-ca.pem'),
      serverKey: read('server.key'),
      serverCert: read('server.pem'),
      deviceKey: read('device.key'),
      deviceCert: read('device.pem'),
      strangerKey: read('stranger.key'),
      strangerCert: read('stranger.pem'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
