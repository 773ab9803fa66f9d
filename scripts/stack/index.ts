// Starts (or points at) the three servers Threadline needs: Temporal, a MongoDB-protocol store and Chroma.
import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ensureFerretDb, ensureTemporalCli } from './binaries.ts';
import { freePort, killLeftovers, killNow, portOr, recordPids, startProcess, stopProcess, waitFor, type ManagedProcess } from './processes.ts';

export const SEARCH_ATTRIBUTES = ['ThreadlineWorkspace', 'ThreadlineChannel', 'ThreadlineMode', 'ThreadlineHelpdesk', 'ThreadlineTicket'] as const;

export interface StackOptions {
  dataDir: string;
  /** Fixed default ports (npm start) or any free ports (tests). */
  ports: 'default' | 'free';
  say?: (line: string) => void;
  /** Where to read TEMPORAL_ADDRESS / MONGODB_URI / CHROMA_URL from. */
  env?: NodeJS.ProcessEnv;
}

export interface Stack {
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  mongoUri: string;
  chromaUrl: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

async function temporalHealthy(address: string): Promise<boolean> {
  const conn = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await conn.workflowService.getSystemInfo({});
    await conn.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await conn.close();
  }
}

async function mongoHealthy(uri: string): Promise<boolean> {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1000 }).asPromise();
  try {
    await conn.db!.admin().command({ ping: 1 });
    return true;
  } finally {
    await conn.close();
  }
}

async function chromaHealthy(url: string): Promise<boolean> {
  const res = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
  return res.ok;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const env = opts.env ?? process.env;
  const say = opts.say ?? ((l: string) => console.log(l));
  const dataDir = resolve(opts.dataDir);
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const pidFile = join(dataDir, 'stack.pids');
  killLeftovers(pidFile, say);
  const port = (preferred: number) => (opts.ports === 'free' ? freePort(HOST) : portOr(preferred, HOST));

  const started: ManagedProcess[] = [];
  const onExit = () => killNow(started);
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    await Promise.all(started.map((p) => stopProcess(p)));
    started.length = 0;
  };

  try {
    // Build what is missing first (both at once), then start everything at once.
    const [temporalBin, ferretBin] = await Promise.all([
      env.TEMPORAL_ADDRESS ? undefined : ensureTemporalCli(say),
      env.MONGODB_URI ? undefined : ensureFerretDb(say),
    ]);

    let temporalAddress = env.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined = env.TEMPORAL_UI_URL;
    const waits: Promise<void>[] = [];
    if (!temporalAddress) {
      const [tPort, uiPort, httpPort, metricsPort] = [await port(7233), await port(8233), await freePort(), await freePort()];
      mkdirSync(join(dataDir, 'temporal'), { recursive: true });
      const args = ['server', 'start-dev', '--ip', HOST, '--port', String(tPort), '--ui-port', String(uiPort)];
      args.push('--http-port', String(httpPort), '--metrics-port', String(metricsPort));
      args.push('--db-filename', join(dataDir, 'temporal', 'temporal.db'), '--log-level', 'warn');
      for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa}=Keyword`);
      const log = join(logs, 'temporal.log');
      const p = startProcess('temporal', temporalBin!, args, log);
      started.push(p);
      temporalAddress = `${HOST}:${tPort}`;
      temporalUiUrl = `http://${HOST}:${uiPort}`;
      const addr = temporalAddress;
      waits.push(waitFor('Temporal dev server', () => temporalHealthy(addr), p, 60_000, log));
    }

    let mongoUri = env.MONGODB_URI;
    if (!mongoUri) {
      const mPort = await port(27017);
      const dir = join(dataDir, 'ferretdb');
      mkdirSync(dir, { recursive: true });
      const log = join(logs, 'ferretdb.log');
      const args = ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=${HOST}:${mPort}`];
      args.push('--debug-addr=-', '--telemetry=disable', `--state-dir=${dir}`, '--log-level=warn');
      const p = startProcess('ferretdb', ferretBin!, args, log);
      started.push(p);
      mongoUri = `mongodb://${HOST}:${mPort}/threadline`;
      const uri = mongoUri;
      waits.push(waitFor('FerretDB', () => mongoHealthy(uri), p, 30_000, log));
    }

    let chromaUrl = env.CHROMA_URL;
    if (!chromaUrl) {
      const cPort = await port(8000);
      const dir = join(dataDir, 'chroma');
      mkdirSync(dir, { recursive: true });
      const entry = createRequire(import.meta.url).resolve('chromadb');
      const cli = join(entry.slice(0, entry.lastIndexOf('/node_modules/chromadb/') + '/node_modules/chromadb/'.length), 'dist', 'cli.mjs');
      const log = join(logs, 'chroma.log');
      const p = startProcess('chroma', process.execPath, [cli, 'run', '--path', dir, '--host', HOST, '--port', String(cPort)], log);
      started.push(p);
      chromaUrl = `http://${HOST}:${cPort}`;
      const url = chromaUrl;
      waits.push(waitFor('Chroma', () => chromaHealthy(url), p, 30_000, log));
    }
    recordPids(pidFile, started);
    await Promise.all(waits);
    return { temporalAddress, temporalUiUrl, mongoUri, chromaUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
