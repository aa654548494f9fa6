// KMS adapter of the CertificateNumberVault: direct Encrypt/Decrypt (a number is a few
// dozen bytes) under the data key, bound to the tenant by the encryption context, so a
// ciphertext copied into another tenant's item does not decrypt.
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  type CertificateNumberVault,
  hashCertificateNumber,
  maskCertificateNumber,
  normalizeCertificateNumber,
  type ProtectedNumber,
} from '../domain/certificate-numbers.ts';
import { awsClient } from '../shared/aws-client-config.ts';

export class KmsCertificateNumberVault implements CertificateNumberVault {
  private kms?: KMSClient;

  constructor(
    private readonly keyId: () => string,
    private readonly idHashKey: () => Promise<string>,
  ) {}

  private client() {
    this.kms ??= awsClient(KMSClient);
    return this.kms;
  }

  private context(tenantId: string) {
    return { tenantId, purpose: 'certificate-number' };
  }

  async hash(number: string): Promise<string> {
    return hashCertificateNumber(number, await this.idHashKey());
  }

  async protect(tenantId: string, number: string): Promise<ProtectedNumber> {
    const normal = normalizeCertificateNumber(number);
    const [numberHash, out] = await Promise.all([
      this.hash(normal),
      this.client().send(
        new EncryptCommand({
          KeyId: this.keyId(),
          Plaintext: new TextEncoder().encode(normal),
          EncryptionContext: this.context(tenantId),
        }),
      ),
    ]);
    if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return {
      numberMasked: maskCertificateNumber(normal),
      numberHash,
      numberCipher: Buffer.from(out.CiphertextBlob).toString('base64'),
    };
  }

  async reveal(tenantId: string, numberCipher: string): Promise<string> {
    const out = await this.client().send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(numberCipher, 'base64'),
        EncryptionContext: this.context(tenantId),
      }),
    );
    if (!out.Plaintext) throw new Error('KMS returned no plaintext');
    return new TextDecoder().decode(out.Plaintext);
  }
}
