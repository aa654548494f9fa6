// The local gate provisioner: device certificates from the local CA instead of AWS IoT.
import type { GateBundle, GateProvisioner } from '../../functions/gates/provisioning.ts';
import type { LocalCa } from './local-ca.ts';

export class LocalGateProvisioner implements GateProvisioner {
  constructor(
    private readonly ca: LocalCa,
    private readonly mqttUrl: string,
  ) {}

  async provision(gateId: string): Promise<GateBundle> {
    const cert = await this.ca.deviceCertificate(gateId);
    return { ...cert, caPem: this.ca.certificatePem, mqttUrl: this.mqttUrl };
  }
}
