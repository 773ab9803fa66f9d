// Child servers run in their own process groups so a stop kills each server and everything it spawned.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export function startProcess(name: string, cmd: string, args: string[], logFile: string, cwd?: string): ManagedProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.on('error', (err) => log.write(`spawn error: ${String(err)}\n`));
  return { name, child, exited };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export async function stopProcess(p: ManagedProcess, graceMs = 5000): Promise<void> {
  const pid = p.child.pid;
  if (pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  signalGroup(pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([p.exited, timer])) === 'timeout') {
    signalGroup(pid, 'SIGKILL');
    await p.exited;
  }
}

/** Last resort on process exit: no time for grace, so kill the groups outright. */
export function killNow(processes: ManagedProcess[]): void {
  for (const p of processes) if (p.child.pid !== undefined && p.child.exitCode === null) signalGroup(p.child.pid, 'SIGKILL');
}

/** Remembers the groups we started, so a crashed run's leftovers are stopped by the next start. */
export function recordPids(file: string, processes: ManagedProcess[]): void {
  writeFileSync(file, JSON.stringify(processes.map((p) => ({ name: p.name, pid: p.child.pid }))));
}

export function killLeftovers(file: string, say: (s: string) => void): void {
  if (!existsSync(file)) return;
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as { name: string; pid: number }[];
    for (const { name, pid } of list) {
      const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      if (cmdline && /temporal|ferretdb|chroma/.test(cmdline)) {
        say(`Stopping ${name} left over from an earlier run (pid ${pid})`);
        signalGroup(pid, 'SIGKILL');
      }
    }
  } catch {
    /* unreadable file: nothing to clean */
  }
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** The preferred port when it is free, otherwise any free one. */
export function portOr(preferred: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(freePort(host)));
    srv.listen(preferred, host, () => srv.close(() => resolve(preferred)));
  });
}

export async function waitFor(what: string, check: () => Promise<boolean>, p: ManagedProcess | undefined, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (p && p.child.exitCode !== null) {
      const tail = logFile && existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`${what} exited with code ${p.child.exitCode} while starting.\n${tail}`);
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not healthy after ${timeoutMs / 1000}s ${lastErr}`);
}
