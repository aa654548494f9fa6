// How tenant signing keys are tagged in KMS: the function's role may create, use and retire
// only keys carrying these tags (infra/stacks/api-stack.ts), read by the adapter and by CDK.
export const PURPOSE_TAG = 'purpose';
/** What a tenant key is for. */
export const WORKER_CODE_PURPOSE = 'worker-code';
