// The local gate provisioner: device certificates from the local CA instead of AWS IoT.
import type { GateBundle, GateProvisioner } from '../../functions/gates/provisioning.ts';
import type { LocalCa } from './local-ca.ts';

export class LocalGateProvisioner implements GateProvisioner {
  constructor(
    private readonly ca: LocalCa,
    private readonly mqttUrl: string,
    /** Drops a live connection of a retired gate (the broker's). */
    private readonly disconnect: (gateId: string) => void = () => undefined,
  ) {}

  async revoke(gateId: string): Promise<void> {
    this.ca.revokeDevice(gateId);
    this.disconnect(gateId);
  }

  async provision(gateId: string): Promise<GateBundle> {
    const cert = await this.ca.deviceCertificate(gateId);
    return { ...cert, caPem: this.ca.certificatePem, mqttUrl: this.mqttUrl };
  }
}
