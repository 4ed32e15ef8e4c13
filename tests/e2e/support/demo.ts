import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** `node demo/start.mjs` running as its own process, as `npm start` runs it. */
export interface DemoProcess {
  child: ChildProcess;
  ports: { record: number; museum: number; inbox: number };
  /** Origins as the demo printed them, without a trailing slash. */
  origins: { record: string; museum: string; inbox: string };
  /** The FHIR endpoint as printed. */
  endpoint: string;
  /** What it printed so far. */
  output(): string;
  errors(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A port nothing is listening on right now, so a test never meets a demo someone left running. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether a port can be bound again, i.e. whoever held it let go. */
export async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function printedAddress(output: string, label: string): string {
  const match = new RegExp(`${label}:\\s+(http://\\S+)`).exec(output);
  if (!match?.[1]) throw new Error(`no "${label}" address in:\n${output}`);
  return match[1];
}

/** Starts the demo on free ports (chosen through its environment variables) and waits until it is ready. */
export async function startDemo(
  options: { args?: string[]; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<DemoProcess> {
  const ports = { record: await freePort(), museum: await freePort(), inbox: await freePort() };
  const child = spawn(process.execPath, ['demo/start.mjs', ...(options.args ?? [])], {
    env: {
      ...process.env,
      ...options.env,
      LINKWELL_DEMO_RECORD_PORT: String(ports.record),
      LINKWELL_DEMO_MUSEUM_PORT: String(ports.museum),
      LINKWELL_DEMO_INBOX_PORT: String(ports.inbox),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const ready = 'Ready. Press Ctrl-C to stop.';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not get ready:\n${output}${errors}`));
    }, options.timeoutMs ?? 30_000);
    const check = () => {
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before it was ready:\n${output}${errors}`));
    });
  });
  const origin = (label: string) => printedAddress(output, label).replace(/\/$/, '');
  return {
    child,
    ports,
    origins: {
      record: origin('Clinical record'),
      museum: origin('Museum site'),
      inbox: origin('Link worker inbox'),
    },
    endpoint: printedAddress(output, 'FHIR endpoint'),
    output: () => output,
    errors: () => errors,
    stop(signal = 'SIGINT') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
}
