// The AWS IoT adapter of gate provisioning, against the emulator's IoT control plane.
import {
  CreatePolicyCommand,
  DescribeCertificateCommand,
  IoTClient,
  ListAttachedPoliciesCommand,
  ListThingPrincipalsCommand,
} from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { IotGateProvisioner } from '../../functions/gates/provisioning.ts';

describe('provisioning a gate in AWS IoT', () => {
  it('creates the thing and an active certificate, attaches the device policy and names the ATS endpoint', async () => {
    const iot = new IoTClient({ maxAttempts: 1 });
    process.env.GATE_POLICY_NAME = `gate-policy-${Date.now()}`;
    await iot.send(
      new CreatePolicyCommand({
        policyName: process.env.GATE_POLICY_NAME,
        policyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }],
        }),
      }),
    );
    const gateId = 'acme:site_01ARZ3NDEKTSV4RRFFQ69G5FAV:east-1';
    const bundle = await new IotGateProvisioner().provision(gateId);
    expect(bundle.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(bundle.privateKeyPem).toContain('PRIVATE KEY');
    expect(bundle.mqttUrl).toMatch(/^mqtts:\/\/.+:8883$/);
    const principals =
      (await iot.send(new ListThingPrincipalsCommand({ thingName: gateId }))).principals ?? [];
    expect(principals).toHaveLength(1);
    const policies =
      (await iot.send(new ListAttachedPoliciesCommand({ target: principals[0] }))).policies ?? [];
    expect(policies.map((p) => p.policyName)).toEqual([process.env.GATE_POLICY_NAME]);

    // Retiring the gate: the certificate is detached and can no longer connect.
    await new IotGateProvisioner().revoke(gateId);
    expect((await iot.send(new ListThingPrincipalsCommand({ thingName: gateId }))).principals ?? []).toEqual(
      [],
    );
    const certificateId = (principals[0] as string).split('/').pop();
    const described = await iot.send(new DescribeCertificateCommand({ certificateId }));
    expect(described.certificateDescription?.status).toBe('INACTIVE');
  });
});
