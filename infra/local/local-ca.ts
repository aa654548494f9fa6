// The local certificate authority standing in for AWS IoT's device certificates: one CA,
// a server certificate for the broker, and one client certificate per gate whose subject
// CN is the gate id (the thing name). @peculiar/x509 does the X.509 work on WebCrypto.
// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

type KeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Pem {
  certificatePem: string;
  privateKeyPem: string;
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

const serial = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');

/** Serial numbers compared as Node's TLS reports them: upper-case hex, no leading zeros. */
const normalSerial = (hex: string) => hex.toUpperCase().replace(/^0+/, '');

export class LocalCa {
  /** Device certificates issued per gate id, and those revoked (a retired gate). */
  private readonly issued = new Map<string, string[]>();
  private readonly revoked = new Set<string>();

  private constructor(
    private readonly cert: x509.X509Certificate,
    private readonly keys: KeyPair,
    readonly certificatePem: string,
  ) {}

  static async create(name = 'special-ops local device CA'): Promise<LocalCa> {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=${name}`,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      keys: keys as never,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    return new LocalCa(cert, keys, cert.toString('pem'));
  }

  private async issue(
    commonName: string,
    extensions: x509.Extension[],
    serialNumber = serial(),
  ): Promise<Pem> {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject: `CN=${commonName}`,
      issuer: this.cert.subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      signingKey: this.keys.privateKey as never,
      publicKey: keys.publicKey as never,
      signingAlgorithm: ALG,
      extensions,
    });
    return { certificatePem: cert.toString('pem'), privateKeyPem: await keyPem(keys.privateKey) };
  }

  /** The broker's own certificate, valid for the loopback names. */
  serverCertificate(): Promise<Pem> {
    return this.issue('localhost', [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ]);
  }

  /** A gate's client certificate: CN = gate id = MQTT client id. */
  deviceCertificate(gateId: string): Promise<Pem> {
    const serialNumber = serial();
    this.issued.set(gateId, [...(this.issued.get(gateId) ?? []), normalSerial(serialNumber)]);
    return this.issue(
      gateId,
      [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
      serialNumber,
    );
  }

  /** Revokes every certificate issued to the gate (like setting them INACTIVE in IoT). */
  revokeDevice(gateId: string): void {
    for (const s of this.issued.get(gateId) ?? []) this.revoked.add(s);
  }

  isRevoked(serialNumber: string): boolean {
    return this.revoked.has(normalSerial(serialNumber));
  }
}
