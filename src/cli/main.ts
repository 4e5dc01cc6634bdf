#!/usr/bin/env node
import { ConfigError, loadConfig } from '../config/config.js';
import { DomainError } from '../core/shared/errors.js';
import { MigrationError } from '../store/migrator.js';
import { runCommand, UsageError, USAGE } from './commands.js';

/** `hellohub <command>`: exit 0 on success, 1 on a refused or failed command, 2 on bad usage. */
async function main(argv: string[]): Promise<number> {
  try {
    const config = loadConfig();
    return await runCommand(config, argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof MigrationError) {
      process.stderr.write(`hellohub: ${error.message}\n`);
      return 1;
    }
    if (error instanceof DomainError) {
      process.stderr.write(`hellohub: ${error.message}${error.parameter ? ` (${error.parameter})` : ''}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // Long-running commands (serve, worker) resolve to -1 and keep the process alive.
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hellohub: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
