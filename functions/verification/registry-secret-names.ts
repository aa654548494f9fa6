// The name and tag of a tenant's registry client-certificate secret: shared by the adapter
// and by CDK, whose IAM conditions match on them.
export const REGISTRY_SECRET_PREFIX = 'special-ops/registry/';
export const TENANT_TAG = 'tenantId';

export const registrySecretName = (tenantId: string) => `${REGISTRY_SECRET_PREFIX}${tenantId}`;
