#!/usr/bin/env node
// Entry point of mcrd: parse the configuration, start the service, exit 0 on SIGTERM/SIGINT
// after draining requests and closing the engine; exit 1 with a clear message if it cannot start.
import 'reflect-metadata';
import { Logger as LoggerToken } from 'nestjs-pino';
import { createApp } from './bootstrap';
import { listen, type Listening } from './http/listeners';
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
  let listening: Listening;
  try {
    listening = await listen(app, config);
  } catch (err) {
    await app.close();
    return fail(`mcrd: cannot listen on ${where(config)}: ${(err as Error).message}`);
  }
  app.get(LoggerToken).log(readyLine(listening, config), 'Main');
}

function where(config: McrdConfig): string {
  const tcp = config.httpPort === 'off' ? [] : [`${config.httpHost}:${config.httpPort}`];
  return [...tcp, ...(config.httpSocket === undefined ? [] : [`unix:${config.httpSocket.path}`])].join(' and ');
}

/** The last start-up line, the one an operator needs: where the API, its docs and the metrics are. */
function readyLine({ tcpUrl, socketPath }: Listening, config: McrdConfig): string {
  const socket = socketPath === undefined ? '' : `unix:${socketPath} (mode 0${config.httpSocket?.mode.toString(8)})`;
  const where =
    tcpUrl === undefined
      ? `API ${socket}: /api/v1, docs /docs, metrics /metrics (mcrctl --socket ${socketPath})`
      : `API ${tcpUrl}/api/v1, docs ${tcpUrl}/docs, metrics ${tcpUrl}/metrics, dashboard ${tcpUrl}/ui/` +
        (socket === '' ? '' : `; also on ${socket}`);
  return `mcrd ready: ${where} (store ${config.store}, node ${config.nodeId})`;
}

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

void main();
