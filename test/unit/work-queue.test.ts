// The backoff of a retried work message (a notification a provider throttled or dropped).
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../functions/shared/work-queue.ts';

describe('retry backoff', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [4, 240],
    [5, 480],
    [6, 900],
    [50, 900],
    [0, 30],
  ])('receive %i → %i s', (count, seconds) => {
    expect(retryDelaySeconds(count)).toBe(seconds);
  });
});
