// The registry client-certificate secret's name and tag (see shared/tenant-secret-names.ts).
export { REGISTRY_SECRET_PREFIX, registrySecretName, TENANT_TAG } from '../shared/tenant-secret-names.ts';
