// Drives `npm start` and `npm run token` the way a newcomer does, over real HTTP.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/emulator.ts';
import { eventually, type Started, startStack as start, waitFor } from '../support/npm-start.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'special-ops-e2e-'));
const env = { ...process.env, LOCAL_STATE_DIR: stateDir, AWS_ENDPOINT_URL: '', MQTT_PORT: '0' };
delete (env as Record<string, string | undefined>).AWS_ENDPOINT_URL;

const startStack = (args: string[], extraEnv: Record<string, string> = {}) => start(env, args, extraEnv);

function token(args: string[]) {
  return spawnSync('npm', ['run', '-s', 'token', '--', ...args], { env, encoding: 'utf8' });
}

let port: number;
let stack: Started;
let apiUrl: string;
let emulatorUrl: string;

beforeAll(async () => {
  port = await freePort();
  stack = startStack(['--port', String(port)]);
  apiUrl = (await waitFor(stack, /Ready: .* on (http:\/\/\S+)/))[1] as string;
  emulatorUrl = (await waitFor(stack, /AWS emulator: (http:\/\/\S+)/))[1] as string;
}, 120_000);

afterAll(async () => {
  if (stack.child.exitCode === null && stack.child.signalCode === null && stack.child.pid) {
    process.kill(-stack.child.pid, 'SIGINT');
  }
});

describe('npm start', () => {
  it('prints a ready line with the URL and how to get a token, after seeding every colour', () => {
    expect(apiUrl).toBe(`http://127.0.0.1:${port}`);
    expect(stack.output()).toContain('npm run token -- --tenant demo-group --role group_admin');
    for (const colour of ['green', 'yellow', 'red'])
      expect(stack.output()).toMatch(new RegExp(`^\\s+${colour}\\s`, 'm'));
  });

  it('serves the seeded demo tenant to a token from `npm run token`', async () => {
    const minted = token(['--tenant', 'demo-group', '--role', 'group_admin']);
    expect(minted.status).toBe(0);
    const res = await fetch(`${apiUrl}/people?color=yellow`, {
      headers: { authorization: `Bearer ${minted.stdout.trim()}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { name: string; color: string }[] };
    expect(body.items.map((p) => p.name)).toEqual(['李娜']);
    expect((await fetch(`${apiUrl}/people`)).status).toBe(401);
    const health = await fetch(`${apiUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', dependencies: { table: 'ok' } });
  });

  it('refuses a site_manager token without sites, with usage', () => {
    const res = token(['--tenant', 'demo-group', '--role', 'site_manager']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('--sites is required');
  });

  it('refuses a second start with a clear message, not a stack trace', async () => {
    const second = startStack(['--port', String(await freePort())]);
    expect((await second.exited).code).toBe(1);
    expect(second.output()).toMatch(/already running \(pid \d+\)/);
    expect(second.output()).not.toMatch(/\n\s+at /);
  });

  it('refuses a port already in use with a clear message', async () => {
    const other = startStack(['--port', String(port), '--no-seed'], {
      LOCAL_STATE_DIR: mkdtempSync(join(tmpdir(), 'special-ops-e2e2-')),
    });
    expect((await other.exited).code).toBe(1);
    expect(other.output()).toContain(`port ${port} (the HTTP API) is already in use`);
    expect(other.output()).toContain('PORT=<another port>');
  });

  it('names MQTT_PORT when the gate broker’s port is taken', async () => {
    const taken = await new Promise<import('node:net').Server>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
    });
    const mqttPort = (taken.address() as import('node:net').AddressInfo).port;
    const other = startStack(['--port', String(await freePort()), '--no-seed'], {
      LOCAL_STATE_DIR: mkdtempSync(join(tmpdir(), 'special-ops-e2e4-')),
      MQTT_PORT: String(mqttPort),
    });
    expect((await other.exited).code).toBe(1);
    expect(other.output()).toContain(`port ${mqttPort} (the MQTT-TLS gate broker) is already in use`);
    expect(other.output()).toContain('MQTT_PORT=<another port>');
    taken.close();
  });

  it('notices when the emulator dies and stops with a clear message, instead of serving errors', {
    timeout: 120_000,
  }, async () => {
    const other = startStack(['--port', String(await freePort()), '--no-seed'], {
      LOCAL_STATE_DIR: mkdtempSync(join(tmpdir(), 'special-ops-e2e3-')),
    });
    const otherEmulator = (await waitFor(other, /AWS emulator: (http:\/\/\S+)/))[1] as string;
    await waitFor(other, /Ready: /);
    spawnSync('pkill', ['-KILL', '-f', `moto_launcher.py -H 127.0.0.1 -p ${new URL(otherEmulator).port}`]);
    expect((await other.exited).code).toBe(1);
    expect(other.output()).toContain('the AWS emulator (moto) stopped unexpectedly');
  });

  it('stops every child process on Ctrl-C', { timeout: 60_000 }, async () => {
    process.kill(-(stack.child.pid as number), 'SIGINT');
    // npm re-raises the interrupt its script ended on, as on a terminal.
    const { code, signal } = await stack.exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    // npm may return before its script has finished cleaning up: give it a few seconds.
    await eventually(async () => {
      await expect(fetch(`${apiUrl}/health`)).rejects.toThrow();
      await expect(fetch(`${emulatorUrl}/moto-api/`)).rejects.toThrow();
      expect(existsSync(join(stateDir, 'start.lock'))).toBe(false);
    });
  });
});
