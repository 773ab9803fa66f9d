// `npm run bench:identity`: how long resolving a sender to a customer takes at the edge with 100,000 customers stored.
import mongoose from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerOfVerified } from '../api/identity/verified.ts';
import { identifierKey } from '../models/identifier.ts';
import { createModels, syncIndexes } from '../models/index.ts';
import { startStack } from '../scripts/stack/index.ts';
import { ms, summarize } from './stats.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 100);
const BATCH = 2000;
const ws = 'bench';
const phone = (i: number) => `+1555${String(i).padStart(7, '0')}`;

const dataDir = mkdtempSync(join(tmpdir(), 'threadline-bench-id-'));
const stack = await startStack({ dataDir, ports: 'free', env: { TEMPORAL_ADDRESS: 'unused:0', CHROMA_URL: 'http://unused' }, say: (s) => console.error(s) });
const conn = await mongoose.createConnection(stack.mongoUri).asPromise();
try {
  const models = createModels(conn);
  await syncIndexes(models);
  const t0 = performance.now();
  for (let start = 0; start < CUSTOMERS; start += BATCH) {
    const now = new Date();
    const n = Math.min(BATCH, CUSTOMERS - start);
    const ids = Array.from({ length: n }, (_, k) => start + k);
    await models.Customer.insertMany(
      ids.map((i) => ({ _id: `cus_${i}`, workspaceId: ws, identifiers: [{ kind: 'phone', value: phone(i), verified: true, source: 'sms', firstSeen: now, lastSeen: now }], mergedIds: [], createdAt: now })),
      { ordered: false, lean: true },
    );
    await models.IdentifierOwner.insertMany(
      ids.map((i) => ({ _id: identifierKey(ws, 'phone', phone(i)), workspaceId: ws, kind: 'phone', value: phone(i), customerId: `cus_${i}`, source: 'sms', firstSeen: now, lastSeen: now })),
      { ordered: false, lean: true },
    );
  }
  console.log(`stored ${CUSTOMERS} customers with their verified phones in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const known: number[] = [];
  const fresh: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const k = Math.floor(Math.random() * CUSTOMERS);
    let s = performance.now();
    const r = await ownerOfVerified(models, ws, { kind: 'phone', value: phone(k), source: 'sms' });
    known.push(performance.now() - s);
    if (r.customerId !== `cus_${k}`) throw new Error('wrong customer');
    s = performance.now();
    await ownerOfVerified(models, ws, { kind: 'phone', value: phone(CUSTOMERS + i), source: 'sms' });
    fresh.push(performance.now() - s);
  }
  const a = summarize(known);
  const b = summarize(fresh);
  console.log(`bench:identity — ${CUSTOMERS} customers in FerretDB (SQLite), ${LOOKUPS} lookups each`);
  console.log(`  known sender (owner found):            p50 ${ms(a.p50)}  p95 ${ms(a.p95)}`);
  console.log(`  new sender (customer + owner created): p50 ${ms(b.p50)}  p95 ${ms(b.p95)}`);
} finally {
  await conn.close();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
