import { app } from './app.js';

const port = Number(process.env.PORT) || 3000;
const logLevel = process.env.LOG_LEVEL || 'info';
const host = '0.0.0.0';

const server = app.listen(port, host, () => {
  if (logLevel !== 'silent') console.log(`express-api listening on http://${host}:${port} (log level ${logLevel})`);
});

// Containers stop with SIGTERM: finish in-flight requests, then exit; give up after 10 s.
function shutdown(signal) {
  if (logLevel !== 'silent') console.log(`${signal} received, closing server`);
  server.close((err) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    process.exit(0);
  });
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(1), 10_000).unref();
}

process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
