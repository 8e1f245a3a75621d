#!/usr/bin/env node
// Entry point of mcrd: parse the configuration, start the service, exit 0 on SIGTERM/SIGINT
// after draining requests and closing the engine; exit 1 with a clear message if it cannot start.
import 'reflect-metadata';
import { Logger as LoggerToken } from 'nestjs-pino';
import { createApp } from './bootstrap';
import { ConfigError, type McrdConfig } from './config/config.types';
import { loadConfig } from './config/load-config';
import { MCRD_USAGE, parseCommandLine } from './config/usage';
import { MCRD_VERSION } from './build-info';

async function main(): Promise<void> {
  const command = parseCommandLine(process.argv.slice(2));
  if (command.action === 'help') return void process.stdout.write(MCRD_USAGE);
  if (command.action === 'version') return void process.stdout.write(`${MCRD_VERSION}\n`);
  if (command.action === 'usage-error') {
    process.stderr.write(`${command.message}\n\n${MCRD_USAGE}`);
    process.exit(2);
  }
  let config: McrdConfig;
  try {
    config = loadConfig({ env: process.env, logToTerminal: process.stdout.isTTY === true });
  } catch (err) {
    if (err instanceof ConfigError) return fail(`mcrd: ${err.message}`);
    throw err;
  }
  let app;
  try {
    app = await createApp(config);
  } catch (err) {
    return fail(`mcrd: cannot start: ${(err as Error).message}`);
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  try {
    await app.listen(config.httpPort, config.httpHost);
  } catch (err) {
    await app.close();
    return fail(`mcrd: cannot listen on ${config.httpHost}:${config.httpPort}: ${(err as Error).message}`);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.httpPort;
  app.get(LoggerToken).log(readyLine(`http://${urlHost(config.httpHost)}:${port}`, config), 'Main');
}

/** The last start-up line, the one an operator needs: where the API, its docs and the metrics are. */
function readyLine(base: string, config: McrdConfig): string {
  return (
    `mcrd ready: API ${base}/api/v1, docs ${base}/docs, metrics ${base}/metrics, dashboard ${base}/ui/ ` +
    `(store ${config.store}, node ${config.nodeId})`
  );
}

/** An IPv6 literal goes in brackets in a URL. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

void main();
