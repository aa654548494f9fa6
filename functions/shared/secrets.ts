// The key for hashing ID numbers lives in Secrets Manager (in AWS and in the local
// emulator alike) and is fetched once per container. The client is imported with the first
// fetch: most requests of a warm container never need it, so its code stays out of cold start.

import { awsClient } from './aws-client-config.ts';
import { requiredEnv } from './config.ts';

async function readSecret(secretId: string): Promise<string | undefined> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  return (await awsClient(SecretsManagerClient).send(new GetSecretValueCommand({ SecretId: secretId })))
    .SecretString;
}

const secrets = new Map<string, Promise<string>>();

/** A secret string (a provider's API key, the ID-hash key), fetched once per container. */
export function getSecretString(secretId: string): Promise<string> {
  let value = secrets.get(secretId);
  if (!value) {
    value = readSecret(secretId).then((secret) => {
      if (!secret) throw new Error(`Secret ${secretId} is empty`);
      return secret;
    });
    value.catch(() => secrets.delete(secretId));
    secrets.set(secretId, value);
  }
  return value;
}

/** The ID-hash key: a secret like any other, fetched once per container (retried after a failure). */
export function getIdHashKey(): Promise<string> {
  return getSecretString(requiredEnv('ID_HASH_KEY_SECRET_ID'));
}
