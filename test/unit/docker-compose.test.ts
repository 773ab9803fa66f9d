// docker-compose.yml cannot run here (no Docker engine): check that it describes the production layout coherently.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../scripts/stack/index.ts';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const s = compose.services;

  it('has Temporal on PostgreSQL with its UI, MongoDB 7, Chroma, the API and the worker', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'mongo', 'chroma', 'api', 'worker']) assert.ok(s[name], `service ${name}`);
    assert.match(s.mongo!.image!, /^mongo:7/);
    assert.match(s.temporal!.image!, /temporalio\/auto-setup/);
    assert.equal(s.temporal!.environment!.DB, 'postgres12');
  });

  it('points the API and the worker at those services', () => {
    for (const name of ['api', 'worker']) {
      const env = s[name]!.environment!;
      assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
      assert.match(env.MONGODB_URI!, /^mongodb:\/\/mongo:27017\//);
      assert.equal(env.CHROMA_URL, 'http://chroma:8000');
    }
    assert.deepEqual(s.worker!.command, ['node', '--import', 'tsx', 'workers/run.ts']);
    assert.deepEqual(s.api!.command, ['node', '--import', 'tsx', 'api/server.ts']);
  });

  it('registers every search attribute the workflows set', () => {
    const setup = JSON.stringify(s['temporal-setup']);
    for (const sa of SEARCH_ATTRIBUTES) assert.ok(setup.includes(sa), sa);
  });
});
