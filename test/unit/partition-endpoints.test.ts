// The gates' data-plane client takes its endpoint from the SDK's partition-aware resolver
// (the china profile deploys to aws-cn, whose endpoints end in .amazonaws.com.cn); the
// provisioning bundle takes the account's ATS endpoint from DescribeEndpoint at run time.
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { describe, expect, it } from 'vitest';

describe('IoT data endpoint by partition', () => {
  it.each([
    ['cn-north-1', /\.iot\.cn-north-1\.amazonaws\.com\.cn\/$/],
    ['cn-northwest-1', /\.iot\.cn-northwest-1\.amazonaws\.com\.cn\/$/],
    ['ap-southeast-1', /\.iot\.ap-southeast-1\.amazonaws\.com\/$/],
  ])('%s → %s', async (region, pattern) => {
    const client = new IoTDataPlaneClient({
      region,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const endpoint = await client.config.endpointProvider({
      Region: region,
      UseFIPS: false,
      UseDualStack: false,
    } as never);
    expect(endpoint.url.href).toMatch(pattern);
  });
});
