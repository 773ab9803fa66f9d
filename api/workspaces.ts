// Creating workspaces and their keys; shared by the admin route and the first-start bootstrap.
import type { Models } from '../models/index.ts';
import type { Scope } from '../models/apiKey.ts';
import { ApiError } from './errors.ts';
import { generateSecret, sha256 } from './keys.ts';

export const WORKSPACE_SCOPES: Scope[] = ['conversations:read', 'conversations:write', 'knowledge:read', 'knowledge:write', 'customers:read', 'customers:write', 'ops'];

export async function createApiKey(models: Models, workspaceId: string, scopes: Scope[], label: string): Promise<string> {
  const key = generateSecret(workspaceId === '*' ? 'tl_admin' : 'tl_key');
  await models.ApiKey.create({ _id: sha256(key), workspaceId, scopes, label, prefix: key.slice(0, 12) });
  return key;
}

export async function createWorkspace(models: Models, id: string, name: string): Promise<{ id: string; apiKey: string; widgetSecret: string }> {
  const widgetSecret = generateSecret('wsec', 32);
  try {
    await models.Workspace.create({ _id: id, name, widgetSecret });
  } catch (e) {
    if ((e as { code?: number }).code === 11000) throw new ApiError(409, 'workspace_exists', `workspace '${id}' already exists`);
    throw e;
  }
  const apiKey = await createApiKey(models, id, WORKSPACE_SCOPES, 'created with the workspace');
  return { id, apiKey, widgetSecret };
}

/** The instance admin key: from THREADLINE_ADMIN_KEY, or generated once and returned so it can be printed once. */
export async function ensureAdminKey(models: Models, fromEnv: string | undefined): Promise<string | undefined> {
  if (fromEnv) {
    await models.ApiKey.updateOne(
      { _id: sha256(fromEnv) },
      { $setOnInsert: { workspaceId: '*', scopes: ['admin'], label: 'THREADLINE_ADMIN_KEY', prefix: fromEnv.slice(0, 8) } },
      { upsert: true },
    );
    return undefined;
  }
  if (await models.ApiKey.exists({ workspaceId: '*' })) return undefined;
  return createApiKey(models, '*', ['admin'], 'generated at first start');
}
