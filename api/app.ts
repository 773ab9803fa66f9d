import express, { type Express } from 'express';
import type { Services } from '../config/services.ts';
import { createMetrics } from './metrics.ts';
import { widgetCors } from './middleware/cors.ts';
import { errorHandler, notFoundRoute } from './middleware/errors.ts';
import { channelConfigsRouter } from './routes/channelConfigs.ts';
import { channelsRouter } from './routes/channels.ts';
import { conversationsRouter } from './routes/conversations.ts';
import { customersRouter } from './routes/customers.ts';
import { healthRouter } from './routes/health.ts';
import { helpdeskWebhooksRouter } from './routes/helpdeskWebhooks.ts';
import { workspaceSettingsRouter } from './routes/workspaceSettings.ts';
import { inboxRouter } from './routes/inbox.ts';
import { knowledgeRouter } from './routes/knowledge.ts';
import { staticRouter } from './routes/static.ts';
import { widgetRouter } from './routes/widget.ts';
import { workspacesRouter } from './routes/workspaces.ts';

export interface AppOptions {
  temporalUiUrl?: string;
  /** Task queue for new workflows (tests give each suite its own). */
  taskQueue?: string;
}

export function createApp(services: Services, opts: AppOptions = {}): Express {
  const app = express();
  const metrics = createMetrics();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use((req, res, next) => {
    res.on('finish', () => metrics.httpRequests.inc({ method: req.method, route: req.route?.path ?? 'unmatched', status: res.statusCode }));
    next();
  });
  // Webhooks first: their signatures are over the raw bytes, so no JSON parser may touch them.
  app.use('/v1/channels', channelsRouter(services, opts));
  app.use('/v1/helpdesk', helpdeskWebhooksRouter(services));
  app.use(express.json({ limit: services.env.BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));

  app.use(healthRouter(services, metrics));
  app.use(staticRouter(opts));
  app.use('/v1/widget', widgetCors, widgetRouter(services, opts));
  app.use('/v1/workspaces', workspacesRouter(services));
  app.use('/v1/workspace/channels', channelConfigsRouter(services));
  app.use('/v1/workspace', workspaceSettingsRouter(services));
  app.use('/v1/conversations', conversationsRouter(services));
  app.use('/v1/customers', customersRouter(services, opts));
  app.use('/v1/knowledge', knowledgeRouter(services, opts));
  app.use('/v1/inbox', inboxRouter(services));
  app.use(notFoundRoute);
  app.use(errorHandler(services.log));
  return app;
}
