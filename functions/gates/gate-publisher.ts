// Messages to gate devices: IoT Core's data plane in AWS; the local runtime wires its own
// MQTT broker in instead (infra/local/start.ts).
import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import { awsClient } from '../shared/aws-client-config.ts';

export interface GatePublisher {
  /** QoS 1; `retain` keeps the message for a device that subscribes later (IoT retained messages). */
  publish(topic: string, payload: string, options: { retain: boolean }): Promise<void>;
}

export class IotDataGatePublisher implements GatePublisher {
  private readonly iot = awsClient(IoTDataPlaneClient);

  async publish(topic: string, payload: string, options: { retain: boolean }): Promise<void> {
    await this.iot.send(
      new PublishCommand({ topic, qos: 1, retain: options.retain, payload: Buffer.from(payload) }),
    );
  }
}
