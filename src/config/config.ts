import path from 'node:path';
import { ConfigValueError, configSchema, type ConfigName, type ConfigSchema } from './config.schema.js';

type Parsed<K extends ConfigName> = ConfigSchema[K]['default'] extends string
  ? ReturnType<ConfigSchema[K]['parse']>
  : ReturnType<ConfigSchema[K]['parse']> | undefined;

type RawConfig = { readonly [K in ConfigName]: Parsed<K> };

export interface Config extends Omit<RawConfig, 'PUBLIC_URL' | 'DATA_DIR'> {
  /** Always set: derived from PORT when not configured. */
  readonly PUBLIC_URL: string;
  /** Absolute path. */
  readonly DATA_DIR: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads and validates every variable at once; throws one ConfigError naming all bad ones. */
export function loadConfig(env: Environment = process.env, overrides: Partial<Record<ConfigName, string>> = {}): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(configSchema) as ConfigName[]) {
    const spec = configSchema[name];
    const given = overrides[name] ?? env[name];
    const raw = given === undefined || given === '' ? spec.default : given;
    if (raw === undefined) {
      values[name] = undefined;
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      if (!(error instanceof ConfigValueError)) throw error;
      problems.push(`${name}: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const raw = values as unknown as RawConfig;
  return Object.freeze({
    ...raw,
    DATA_DIR: path.resolve(raw.DATA_DIR),
    PUBLIC_URL: raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`,
  });
}

/** For the README and `hellohub config`: one row per variable. */
export function describeConfig(): Array<{ name: ConfigName; default: string | undefined; doc: string }> {
  return (Object.keys(configSchema) as ConfigName[]).map((name) => ({
    name,
    default: configSchema[name].default,
    doc: configSchema[name].doc,
  }));
}
