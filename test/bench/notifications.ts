// Notification fan-out (issue 14) on the emulator against the channel simulator: N inbox
// messages (NOTIFY_MESSAGES, default 300) for people bound on WeCom, DingTalk and SMS, relayed
// and taken through the worker's own handler with the Lambda's concurrency (5); the rule
// sends on all three channels (redundant). Figures: messages and provider sends per second,
// and the share of messages delivered with every channel up, with WeCom down (redundant:
// must be 100%), and with WeCom down in first-success mode (falls through to DingTalk).
import { SIMULATED_ACCOUNTS as A, startChannelSimulator } from '../../infra/local/channel-simulator.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { provisionBench } from './bench-stack.ts';

const TENANT = 'bench-notify';

export async function benchNotifications(): Promise<string[]> {
  const n = Number(process.env.NOTIFY_MESSAGES ?? 300);
  const emulator = await startMoto();
  const sim = await startChannelSimulator();
  try {
    await provisionBench(emulator.endpoint, 'bench-notify', {
      env: { WECOM_BASE_URL: sim.url, DINGTALK_BASE_URL: sim.url, ALIYUN_SMS_ENDPOINT: sim.url },
    });
    const root = await import('../../functions/composition-root.ts');
    const { handleWork } = await import('../../functions/worker/handler.ts');
    const { relayPending, DeliveryIncomplete } = await import('../../functions/notifications/deliveries.ts');
    const store = root.notificationStore();
    const admin = { tenantId: TENANT, subject: 'bench', role: 'group_admin' as const, siteIds: [] };
    const channels = {
      wecom: { enabled: true, corpId: A.wecom.corpId, agentId: A.wecom.agentId },
      dingtalk: { enabled: true, appKey: A.dingtalk.appKey, agentId: A.dingtalk.agentId },
      sms: {
        enabled: true,
        provider: 'aliyun',
        accessKeyId: A.aliyun.accessKeyId,
        signName: A.aliyun.signName,
        templateCode: A.aliyun.templateCode,
        monthlyQuota: 1_000_000,
      },
      email: { enabled: false },
      robots: [],
    };
    await store.saveSetting(admin as never, 'channels', channels, 'bench');
    await root.channelCredentials().merge(TENANT, {
      wecomSecret: A.wecom.secret,
      dingtalkAppSecret: A.dingtalk.appSecret,
      aliyunAccessKeySecret: A.aliyun.accessKeySecret,
    });
    const people: string[] = [];
    for (let i = 0; i < n; i++) {
      const personId = `per_bench${String(i).padStart(8, '0')}`;
      // The bindings' condition needs the person: a minimal profile item stands for them.
      await root.documentClient().send(
        new (await import('@aws-sdk/lib-dynamodb')).PutCommand({
          TableName: process.env.TABLE_NAME,
          Item: { pk: `T#${TENANT}#PERSON#${personId}`, sk: 'PROFILE', personId, name: '测试' },
        }),
      );
      await store.saveBindings(
        admin as never,
        personId,
        {
          wecomUserId: `u${i}`,
          dingtalkUserId: `d${i}`,
          phone: `139${String(i).padStart(8, '0')}`,
          employeeId: `E${i}`,
          phoneVerified: true,
        },
        'bench',
      );
      people.push(personId);
    }

    const round = async (label: string, mode: 'redundant' | 'first_success', downOn: string[]) => {
      await store.saveSetting(
        admin as never,
        'notification-rules',
        { rules: { freeze_notice: { channels: ['wecom', 'dingtalk', 'sms'], mode } } },
        'bench',
      );
      sim.switches.downOn = downOn;
      sim.sent.length = 0;
      const ids: string[] = [];
      for (const personId of people) {
        const m = await store.postInbox(TENANT, {
          kind: 'freeze_notice',
          mailbox: `PERSON#${personId}`,
          personId,
          nameMasked: '测*',
          reasons: [],
        });
        ids.push(m.messageId);
      }
      const queued: { type: string; pk: string; sk: string }[] = [];
      const t0 = performance.now();
      while (
        (await relayPending({
          notifications: store,
          workQueue: { send: async (m) => void queued.push(...(m as never[])) },
        })) > 0
      );
      let next = 0;
      let incomplete = 0;
      const workerLoop = async () => {
        while (next < queued.length) {
          const message = queued[next++];
          try {
            await handleWork(message as never, `bench-${next}`);
          } catch (error) {
            if (error instanceof DeliveryIncomplete) incomplete++;
            else throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: 5 }, workerLoop));
      const seconds = (performance.now() - t0) / 1000;
      let delivered = 0;
      for (const id of ids) {
        const { channels: records } = await store.message(TENANT, id);
        if (records.some((r) => r.state === 'sent')) delivered++;
      }
      return `${label.padEnd(44)} ${String(ids.length).padStart(6)} ${(ids.length / seconds).toFixed(1).padStart(10)} ${(sim.sent.length / seconds).toFixed(1).padStart(9)} ${((100 * delivered) / ids.length).toFixed(1).padStart(10)}% ${String(incomplete).padStart(8)}`;
    };
    return [
      `${'round'.padEnd(44)} ${'msgs'.padStart(6)} ${'msgs/s'.padStart(10)} ${'sends/s'.padStart(9)} ${'delivered'.padStart(11)} ${'retries'.padStart(8)}`,
      await round('redundant, all 3 channels up', 'redundant', []),
      await round('redundant, WeCom down', 'redundant', ['wecom']),
      await round('first_success, WeCom down (falls through)', 'first_success', ['wecom']),
    ];
  } finally {
    await sim.close();
    await emulator.stop();
  }
}
