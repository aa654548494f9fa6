// The local AWS emulator: moto server (pip package moto[server]), started on a free port
// from our launcher. LocalStack users set AWS_ENDPOINT_URL instead and no emulator starts.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const LAUNCHER = fileURLToPath(new URL('./moto_launcher.py', import.meta.url));

export interface Emulator {
  endpoint: string;
  /** Called once if the emulator process ends other than through stop() (crashed, killed, out of memory). */
  onUnexpectedExit(listener: (code: number | null, signal: string | null) => void): void;
  stop(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections are accepted by the kernel, nothing answers. */
  pause(): void;
  resume(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export class EmulatorUnavailable extends Error {}

function python(): string {
  return process.env.MOTO_PYTHON ?? 'python3';
}

export function checkMotoInstalled(): void {
  const probe = spawnSync(
    python(),
    ['-c', 'import moto.server, moto.stepfunctions; print(moto.__version__)'],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    throw new EmulatorUnavailable(
      `The local AWS emulator (moto) is not installed for ${python()}.\n` +
        `Install it with:  pip install 'moto[server]==5.2.1'   (or set MOTO_PYTHON to a Python that has it,\n` +
        `or point AWS_ENDPOINT_URL at a running LocalStack).`,
    );
  }
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.pid === undefined)
      throw new EmulatorUnavailable(`moto exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new EmulatorUnavailable(`moto did not answer on ${endpoint} within ${timeoutMs} ms`);
}

export async function startMoto(
  options: { port?: number; quiet?: boolean; env?: Record<string, string> } = {},
): Promise<Emulator> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python(), [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', options.quiet === false ? 'inherit' : 'ignore'],
    env: { ...process.env, ...options.env },
  });
  // A Python without moto (or no Python) makes the launcher fail: only then is it asked why,
  // for a message that says what to install (the probe costs a second of CPU on every start).
  child.once('error', () => undefined);
  try {
    await waitUntilUp(endpoint, child, 20_000);
  } catch (error) {
    child.kill('SIGKILL');
    checkMotoInstalled();
    throw error;
  }
  // Step Functions only executes state machines when asked to (ARCHITECTURE.md).
  await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
  });
  let stopping = false;
  return {
    endpoint,
    onUnexpectedExit: (listener) => {
      child.once('exit', (code, signal) => {
        if (!stopping) listener(code, signal);
      });
    },
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        child.kill('SIGCONT');
        // Already gone (Ctrl-C reaches the whole process group, moto included).
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
