import express from 'express';

/**
 * Builds the Express app without listening, so tests can mount it on an ephemeral port.
 * The version is read per request so a test (or an e2e run) can change APP_VERSION freely.
 */
export function createApp() {
  const app = express();
  app.disable('x-powered-by');

  app.get('/health', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });

  app.get('/', (_req, res) => {
    res.json({ message: 'Hello from express-api', version: process.env.APP_VERSION || 'dev' });
  });

  return app;
}

export const app = createApp();
