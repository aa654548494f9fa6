// Provisioning a gate device (X2): recorded first, so that a second request is refused
// before any IoT resource exists; the certificate bundle is returned once.

import type { AllowlistSigner } from '../shared/allowlist-signer.ts';
import { canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { Conflict, NotFound } from '../shared/errors.ts';
import type { GateDevices } from './gate-device-store.ts';
import type { GatePublisher } from './gate-publisher.ts';
import type { GateBundle, GateProvisioner } from './provisioning.ts';

export interface GateDeviceDeps {
  gates: GateDevices;
  provisioner: GateProvisioner;
  publisher: GatePublisher;
  signer: AllowlistSigner;
}

export async function provisionGate(
  { gates: store, provisioner, signer }: Omit<GateDeviceDeps, 'publisher'>,
  principal: Principal,
  siteId: string,
  request: { gate: string; name?: string },
  requestId: string,
) {
  const site = canSeeSite(principal, siteId) ? await store.siteState(principal.tenantId, siteId) : undefined;
  if (!site) throw new NotFound('site_not_found');
  if (site.closed) throw new Conflict('site_closed');
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
    allowlistKey: await signer.publicKey(),
  };
}

/**
 * Retiring a gate (lost, stolen, replaced): its certificates are revoked first, so that it
 * cannot connect even if what follows fails; then it is marked retired (no more allowlists)
 * and its retained allowlist is cleared, so a device that reconnects somehow finds nothing.
 */
export async function retireGate(
  { gates: store, provisioner, publisher }: Omit<GateDeviceDeps, 'signer'>,
  principal: Principal,
  siteId: string,
  gateName: string,
  requestId: string,
): Promise<void> {
  const gateId = `${principal.tenantId}:${siteId}:${gateName}`;
  const gate = canSeeSite(principal, siteId) ? await store.gate(principal.tenantId, gateId) : undefined;
  if (gate?.status !== 'active') throw new NotFound('gate_not_found');
  await provisioner.revoke(gateId);
  await store.retireGate(principal, gate, requestId);
  const parts = await store.allowlistParts(principal.tenantId, siteId);
  for (let part = 0; part < parts; part++)
    await publisher.publish(`gates/${gateId}/allowlist/${part}`, '', { retain: true });
}

/** Retires every active gate of a site (the site closed); the gate ids retired. */
export async function retireGatesOfSite(
  deps: Omit<GateDeviceDeps, 'signer'>,
  principal: Principal,
  siteId: string,
  requestId: string,
): Promise<string[]> {
  const { items } = await deps.gates.gatesOfSite(principal.tenantId, siteId);
  const active = items.filter((g) => g.status === 'active');
  for (const gate of active)
    await retireGate(deps, principal, siteId, gate.gateId.split(':').slice(2).join(':'), requestId);
  return active.map((g) => g.gateId);
}
