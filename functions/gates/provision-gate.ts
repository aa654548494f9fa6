// Provisioning a gate device (X2): recorded first, so that a second request is refused
// before any IoT resource exists; the certificate bundle is returned once.

import { canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { NotFound } from '../shared/errors.ts';
import { allowlistSigner } from './allowlist-signer.ts';
import type { DynamoGateStore } from './gate-store.ts';
import type { GateBundle, GateProvisioner } from './provisioning.ts';

export async function provisionGate(
  store: DynamoGateStore,
  provisioner: GateProvisioner,
  principal: Principal,
  siteId: string,
  request: { gate: string; name?: string },
  requestId: string,
) {
  if (!canSeeSite(principal, siteId) || !(await store.siteExists(principal.tenantId, siteId)))
    throw new NotFound('site_not_found');
  const gateId = `${principal.tenantId}:${siteId}:${request.gate}`;
  await store.recordGate(principal, { gateId, siteId, name: request.name ?? request.gate }, requestId);
  let bundle: GateBundle;
  try {
    bundle = await provisioner.provision(gateId);
  } catch (error) {
    await store.setGateStatus(principal.tenantId, gateId, 'failed');
    throw error;
  }
  await store.setGateStatus(principal.tenantId, gateId, 'active');
  const topic = (name: string) => `gates/${gateId}/${name}`;
  return {
    gateId,
    siteId,
    ...bundle,
    topics: { scan: topic('scan'), decision: topic('decision'), allowlist: topic('allowlist/+') },
    allowlistKey: await allowlistSigner().publicKey(),
  };
}
