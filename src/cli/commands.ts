import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../core/business/api-keys.service.js';
import { createBusiness, listBusinesses } from '../core/business/businesses.service.js';
import { importRates, listRates } from '../core/commerce/exchange-rates.service.js';
import { DomainError } from '../core/shared/errors.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { shutdownOnSignals, startServer } from '../server.js';

export class UsageError extends Error {}

export const USAGE = `Usage: hellohub <command>

  serve                      HTTP API and an in-process worker (the default of npm start)
  worker                     only the job worker (run several, on one PostgreSQL, to scale out)
  migrate                    apply database migrations and exit
  business create --name NAME [--email E] [--country CC] [--currency CUR] [--timezone TZ] [--json]
  business list [--json]
  key create --business ID [--surfaces hellotext,hellodialog,hellocustomer,esputnik] [--name N] [--json]
  key list --business ID [--json]
  key revoke KEY_PREFIX
  rates import FILE          replace the exchange rates with an ECB XML or CSV file
  rates list [--json]

Configuration comes from the environment (DATA_DIR, DATABASE_URL, …): see README.md.
`;

type Options = Record<string, string | boolean | undefined>;

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): { values: Options; positionals: string[] } {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function text(values: Options, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function businessId(values: Options): number {
  const raw = text(values, 'business');
  if (!raw || !/^\d+$/.test(raw)) throw new UsageError('--business ID (an integer) is required.');
  return Number(raw);
}

function print(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human}\n`);
}

function keyJson(key: ApiKey) {
  return { id: key.id, business_id: key.businessId, prefix: key.prefix, name: key.name, surfaces: key.surfaces ?? null, created_at: key.createdAt, revoked_at: key.revokedAt };
}

async function withRuntime<T>(config: Config, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config, { logTo: 'stderr' });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

async function businessCommand(config: Config, [sub, ...rest]: string[]): Promise<number> {
  if (sub === 'create') {
    const { values } = parse(rest, {
      name: { type: 'string' },
      email: { type: 'string' },
      country: { type: 'string' },
      currency: { type: 'string' },
      timezone: { type: 'string' },
      json: { type: 'boolean' },
    });
    const name = text(values, 'name');
    if (!name) throw new UsageError('--name NAME is required.');
    return withRuntime(config, async ({ ctx }) => {
      const { business, key } = await createBusiness(ctx, {
        name,
        email: text(values, 'email'),
        country: text(values, 'country'),
        currency: text(values, 'currency'),
        timezone: text(values, 'timezone'),
      });
      const { id, uuid, publicId, country, currency } = business;
      print(
        values.json === true,
        { id, uuid, public_id: publicId, name: business.name, country, currency, token: key.token },
        `Business ${id} "${business.name}" (${country}, ${currency}, ${business.timezone})\nAPI key (shown once): ${key.token}`,
      );
      return 0;
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } });
    return withRuntime(config, async ({ ctx }) => {
      const businesses = await listBusinesses(ctx);
      print(values.json === true, businesses, businesses.map((b) => `${b.id}\t${b.name}\t${b.country}\t${b.currency}\t${b.timezone}`).join('\n'));
      return 0;
    });
  }
  throw new UsageError(`Unknown command: business ${sub ?? ''}`.trim());
}

async function keyCommand(config: Config, [sub, ...rest]: string[]): Promise<number> {
  if (sub === 'create') {
    const { values } = parse(rest, { business: { type: 'string' }, surfaces: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } });
    const surfaces = text(values, 'surfaces')?.split(',');
    return withRuntime(config, async ({ ctx }) => {
      const key = await createApiKey(ctx, { businessId: businessId(values), surfaces, name: text(values, 'name') });
      print(values.json === true, { ...keyJson(key), token: key.token }, `API key (shown once): ${key.token}`);
      return 0;
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { business: { type: 'string' }, json: { type: 'boolean' } });
    return withRuntime(config, async ({ ctx }) => {
      const keys = await listApiKeys(ctx, businessId(values));
      const human = keys.map((k) => `${k.prefix}…\t${k.name ?? ''}\t${(k.surfaces ?? ['all']).join(',')}\t${k.revokedAt ? 'revoked' : 'active'}`).join('\n');
      print(values.json === true, keys.map(keyJson), human);
      return 0;
    });
  }
  if (sub === 'revoke') {
    const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
    const [prefix] = positionals;
    if (!prefix) throw new UsageError('key revoke KEY_PREFIX');
    return withRuntime(config, async ({ ctx }) => {
      const key = await revokeApiKey(ctx, prefix);
      print(values.json === true, keyJson(key), `Revoked ${key.prefix}…`);
      return 0;
    });
  }
  throw new UsageError(`Unknown command: key ${sub ?? ''}`.trim());
}

async function ratesCommand(config: Config, [sub, ...rest]: string[]): Promise<number> {
  if (sub === 'import') {
    const { positionals } = parse(rest, {});
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError('rates import FILE');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new DomainError('invalid', `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, 'file');
    }
    return withRuntime(config, async ({ ctx }) => {
      const count = await importRates(ctx, text);
      process.stdout.write(`Loaded exchange rates for ${count} currencies.\n`);
      return 0;
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } });
    return withRuntime(config, async ({ ctx }) => {
      const rates = await listRates(ctx);
      print(values.json === true, rates, rates.map((rate) => `${rate.currency}\t${rate.per_eur}\t${rate.as_of}`).join('\n'));
      return 0;
    });
  }
  throw new UsageError(`Unknown command: rates ${sub ?? ''}`.trim());
}

/** Runs one command; resolves to the exit code, or -1 for a server that keeps running. */
export async function runCommand(config: Config, argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
    case 'worker': {
      parse(rest, {});
      const server = await startServer(config, { api: command === 'serve', worker: true });
      shutdownOnSignals(server);
      return -1;
    }
    case 'migrate':
      parse(rest, {});
      await withRuntime(config, async () => undefined);
      process.stdout.write('Database is up to date.\n');
      return 0;
    case 'business':
      return businessCommand(config, rest);
    case 'key':
      return keyCommand(config, rest);
    case 'rates':
      return ratesCommand(config, rest);
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    case undefined:
      throw new UsageError('Name a command.');
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}
