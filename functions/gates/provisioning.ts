// Gate provisioning: one IoT thing, certificate and policy attachment per gate. The
// private key is returned once and never stored. In AWS the IoT adapter is used; the
// local runtime wires its own in (certificates from the local CA).
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DescribeEndpointCommand,
  DetachThingPrincipalCommand,
  IoTClient,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { awsClient } from '../shared/aws-client-config.ts';
import { requiredEnv } from '../shared/config.ts';

export interface GateBundle {
  certificatePem: string;
  privateKeyPem: string;
  /** The CA that signed the broker's server certificate, for the device to trust. */
  caPem?: string;
  mqttUrl: string;
}

export interface GateProvisioner {
  provision(gateId: string): Promise<GateBundle>;
  /** Cuts a retired gate off: its certificates can no longer connect. */
  revoke(gateId: string): Promise<void>;
}

export class IotGateProvisioner implements GateProvisioner {
  private readonly iot = awsClient(IoTClient);

  /** Detaches the gate's certificates and sets them INACTIVE: they can no longer connect. */
  async revoke(gateId: string): Promise<void> {
    const principals =
      (await this.iot.send(new ListThingPrincipalsCommand({ thingName: gateId }))).principals ?? [];
    for (const principal of principals) {
      await this.iot.send(new DetachThingPrincipalCommand({ thingName: gateId, principal }));
      const certificateId = principal.split('/').pop() as string;
      await this.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' }));
    }
  }

  async provision(gateId: string): Promise<GateBundle> {
    await this.iot.send(new CreateThingCommand({ thingName: gateId }));
    const cert = await this.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await this.iot.send(
      new AttachPolicyCommand({ policyName: requiredEnv('GATE_POLICY_NAME'), target: cert.certificateArn }),
    );
    await this.iot.send(
      new AttachThingPrincipalCommand({ thingName: gateId, principal: cert.certificateArn }),
    );
    const endpoint = await this.iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }));
    return {
      certificatePem: cert.certificatePem ?? '',
      privateKeyPem: cert.keyPair?.PrivateKey ?? '',
      mqttUrl: `mqtts://${endpoint.endpointAddress}:8883`,
    };
  }
}
