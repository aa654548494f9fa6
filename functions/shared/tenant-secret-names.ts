// Names and tag of tenants' own secrets: shared by the adapters and by CDK, whose IAM
// conditions match on them. A name is always derived from the tenant, never from input.
export const TENANT_TAG = 'tenantId';
export const REGISTRY_SECRET_PREFIX = 'special-ops/registry/';
export const CHANNEL_SECRET_PREFIX = 'special-ops/channels/';
/** Every prefix of a tenant secret, for the tenant-scoped roles' resources. */
export const TENANT_SECRET_PREFIXES = [REGISTRY_SECRET_PREFIX, CHANNEL_SECRET_PREFIX];

export const registrySecretName = (tenantId: string) => `${REGISTRY_SECRET_PREFIX}${tenantId}`;
export const channelSecretName = (tenantId: string) => `${CHANNEL_SECRET_PREFIX}${tenantId}`;
