// The key for hashing ID numbers lives in Secrets Manager (in AWS and in the local
// emulator alike) and is fetched once per container.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requiredEnv } from './config.ts';

let idHashKey: Promise<string> | undefined;

export function getIdHashKey(): Promise<string> {
  idHashKey ??= new SecretsManagerClient({})
    .send(new GetSecretValueCommand({ SecretId: requiredEnv('ID_HASH_KEY_SECRET_ID') }))
    .then((out) => {
      if (!out.SecretString) throw new Error('ID hash key secret is empty');
      return out.SecretString;
    })
    .catch((error: unknown) => {
      idHashKey = undefined; // let the next request try again
      throw error;
    });
  return idHashKey;
}

const secrets = new Map<string, Promise<string>>();

/** Any other secret string (a provider's API key), fetched once per container. */
export function getSecretString(secretId: string): Promise<string> {
  let value = secrets.get(secretId);
  if (!value) {
    value = new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .then((out) => {
        if (!out.SecretString) throw new Error(`Secret ${secretId} is empty`);
        return out.SecretString;
      });
    value.catch(() => secrets.delete(secretId));
    secrets.set(secretId, value);
  }
  return value;
}
