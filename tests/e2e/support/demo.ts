import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rmdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `node demo/start.mjs` running as its own process, as `npm start` runs it (or `npm start` itself). */
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
  /**
   * Sends a signal and resolves with the exit code. `to: 'job'` signals the whole process group, as
   * Ctrl-C in a terminal does (the demo is started in a group of its own).
   */
  stop(signal?: NodeJS.Signals, options?: { to?: 'process' | 'job' }): Promise<number | null>;
  /**
   * Processes still running that the demo started: its process group (npm, the shell, node) and
   * anything using its temporary folder (the browser --open launches, which Playwright puts in a group
   * of its own). Waits up to `timeoutMs` for them to end first; `[]` when none is left.
   */
  leftRunning(timeoutMs?: number): Promise<string[]>;
  /** Kills whatever `leftRunning` would list, by pid, and removes its temporary folder (after a failure). */
  killLeftovers(): void;
}

/** Every process on this machine as pid, process group and command line (Linux /proc). */
function processes(): { pid: number; group: number; command: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // Fields after the command's closing parenthesis: state, ppid, pgrp, …
        const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
        const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        // An empty command line is a process that has already exited (a zombie awaiting its parent).
        return command ? [{ pid: Number(name), group, command }] : [];
      } catch {
        return [];
      }
    });
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
  options: {
    args?: string[];
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    /** Run `npm start -- <args>` (which builds first) instead of `node demo/start.mjs <args>`. */
    viaNpm?: boolean;
  } = {},
): Promise<DemoProcess> {
  const ports = { record: await freePort(), museum: await freePort(), inbox: await freePort() };
  // Its own temporary folder, so whatever it leaves behind (a browser profile) can be found by name.
  const temporary = mkdtempSync(path.join(tmpdir(), 'linkwell-demo-test-'));
  const [command, args] = options.viaNpm
    ? ['npm', ['start', '--', ...(options.args ?? [])]]
    : [process.execPath, ['demo/start.mjs', ...(options.args ?? [])]];
  // `npm start` builds: as a newcomer's shell would run it, not with the test runner's NODE_ENV=test
  // (which gives vite a development build of the widget, and every later test that build).
  const shellEnvironment = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')),
  );
  const child = spawn(command, args, {
    env: {
      ...(options.viaNpm ? shellEnvironment : process.env),
      ...options.env,
      TMPDIR: temporary,
      LINKWELL_DEMO_RECORD_PORT: String(ports.record),
      LINKWELL_DEMO_MUSEUM_PORT: String(ports.museum),
      LINKWELL_DEMO_INBOX_PORT: String(ports.inbox),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const group = child.pid;
  const leftovers = () =>
    processes().filter((running) => running.group === group || running.command.includes(temporary));
  // Only --open's browser profile ever goes in the folder; without it there is nothing to look for.
  // With it, the folder goes once empty (the demo removes the profile), leaving `leftRunning` its clue.
  child.once('exit', () => {
    if (!(options.args ?? []).includes('--open')) rmSync(temporary, { recursive: true, force: true });
    else setTimeout(() => rmdir(temporary).catch(() => {}), 1_000).unref();
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
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error(`the demo did not get ready:\n${output}${errors}`));
      },
      options.timeoutMs ?? (options.viaNpm ? 120_000 : 30_000),
    );
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
    stop(signal = 'SIGINT', { to = 'process' } = {}) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      if (to === 'job' && group !== undefined) process.kill(-group, signal);
      else child.kill(signal);
      return exited;
    },
    async leftRunning(timeoutMs = 20_000) {
      const left = () => leftovers().map((process) => `${process.pid} ${process.command.slice(0, 120)}`);
      for (const deadline = Date.now() + timeoutMs; left().length > 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const remaining = left();
      if (remaining.length === 0) rmSync(temporary, { recursive: true, force: true });
      return remaining;
    },
    killLeftovers() {
      for (const { pid } of leftovers()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      rmSync(temporary, { recursive: true, force: true });
    },
  };
}
