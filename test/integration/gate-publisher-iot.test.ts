// The AWS IoT data-plane adapter that publishes to gates, against the emulator.
import { describe, expect, it } from 'vitest';
import { IotDataGatePublisher } from '../../functions/gates/gate-publisher.ts';

describe('publishing to a gate through IoT Core', () => {
  it('sends a retained QoS 1 message to the gate’s topic', async () => {
    const publisher = new IotDataGatePublisher();
    const requests: { path: string; query: Record<string, unknown>; body: string }[] = [];
    // Observe the HTTP request the SDK sends (moto accepts it but cannot show retained state).
    (publisher as any).iot.middlewareStack.add(
      (next: any) => async (args: any) => {
        requests.push({
          path: args.request.path,
          query: args.request.query,
          body: String(args.request.body),
        });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'observe' },
    );
    await publisher.publish('gates/acme:site_01ARZ3NDEKTSV4RRFFQ69G5FAV:east/allowlist', 'a.b.c', {
      retain: true,
    });
    expect(requests).toHaveLength(1);
    expect(decodeURIComponent(requests[0]?.path ?? '')).toBe(
      '/topics/gates/acme:site_01ARZ3NDEKTSV4RRFFQ69G5FAV:east/allowlist',
    );
    expect(requests[0]?.query).toMatchObject({ qos: '1', retain: 'true' });
    expect(requests[0]?.body).toBe('a.b.c');
  });
});
