import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { ROLES, type AuthenticatedUser, type Role } from './authenticated-user';
import { LocalIssuer } from './local-issuer';
import { isRole } from './token-claims';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './token-verifier';

export const DEFAULT_AUTH_ISSUER = 'enforcement-platform';
export const DEFAULT_AUTH_AUDIENCE = 'enforcement-platform';
/** A working day's shift. */
export const DEFAULT_DEMO_TOKEN_TTL_SECONDS = 8 * 60 * 60;
const MAX_TTL_SECONDS = 366 * 24 * 60 * 60;

export const DEMO_TOKEN_USAGE = `usage: npm run -s token -- <user> [--agency <id>] [--roles <role,role>] [--ttl <8h>]
                                      [--region <code>] [--name <name>]

Signs a demo bearer token with the embedded platform's local issuer (\${DATA_DIR:-./data}/auth) and prints it.
  <user>            the user id (token subject)
  --agency <id>     the user's agency; required unless --roles includes system-admin
  --roles <list>    comma-separated, from: ${ROLES.join(', ')} (default: officer)
  --ttl <duration>  lifetime: 3600, 90s, 30m, 8h or 7d (default: 8h)
  --region <code>   6-digit division code the user supervises; required for supervisor
  --name <name>     display name

example: TOKEN=$(npm run -s token -- alice --agency 330100-market)`;

/** Wrong arguments: the message says what is wrong, followed by the usage. */
export class DemoTokenUsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n\n${DEMO_TOKEN_USAGE}`);
    this.name = 'DemoTokenUsageError';
  }
}

export interface DemoToken {
  token: string;
  user: AuthenticatedUser;
  expiresAt: Date;
  /** Where the local issuer keeps its key pair. */
  keyDir: string;
  /** Things the person running the command should know, for stderr. */
  warnings: string[];
}

export type DemoTokenEnv = Readonly<Record<string, string | undefined>>;

/**
 * `npm run token`: signs a demo token with embedded mode's local issuer. Takes the command-line arguments
 * (after `--`) and the environment, so the same rules serve the script and its tests.
 */
export async function issueDemoToken(args: readonly string[], env: DemoTokenEnv): Promise<DemoToken> {
  const { user, ttlSeconds } = parseDemoTokenArgs(args);
  const keyDir = path.resolve(env.DATA_DIR || './data', 'auth');
  const issuer = new LocalIssuer({
    dir: keyDir,
    issuer: env.AUTH_ISSUER ?? DEFAULT_AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE ?? DEFAULT_AUTH_AUDIENCE,
  });
  const token = await issuer.sign(user, { ttlSeconds });
  const { exp } = decodeJwt(token);
  const warnings: string[] = [];
  for (const variable of ['AUTH_JWKS_URL', 'AUTH_PUBLIC_KEY']) {
    if (env[variable]) {
      warnings.push(`${variable} is set: services configured with it trust that issuer, not this demo token`);
    }
  }
  const maxLifetime = Number(env.AUTH_MAX_TOKEN_LIFETIME_SECONDS || DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
  if (ttlSeconds > maxLifetime) {
    warnings.push(
      `the services refuse tokens valid for more than ${maxLifetime} s (AUTH_MAX_TOKEN_LIFETIME_SECONDS); ask for a shorter --ttl`,
    );
  }
  return { token, user, expiresAt: new Date((exp ?? 0) * 1000), keyDir, warnings };
}

export function parseDemoTokenArgs(args: readonly string[]): { user: AuthenticatedUser; ttlSeconds: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        agency: { type: 'string' },
        roles: { type: 'string' },
        ttl: { type: 'string' },
        region: { type: 'string' },
        name: { type: 'string' },
      },
    });
  } catch (error) {
    throw new DemoTokenUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new DemoTokenUsageError('the user id is missing');
  if (positionals.length > 1) throw new DemoTokenUsageError(`one user id expected, got: ${positionals.join(' ')}`);
  const userId = positionals[0];

  const roles = parseRoles(values.roles);
  const agencyId = values.agency ?? '';
  if (agencyId.length === 0 && !roles.includes('system-admin')) {
    throw new DemoTokenUsageError('--agency <id> is required unless --roles includes system-admin');
  }
  const region = values.region;
  if (region !== undefined && !/^\d{6}$/.test(region)) {
    throw new DemoTokenUsageError(`--region must be a 6-digit division code, got "${region}"`);
  }
  if (roles.includes('supervisor') && region === undefined) {
    throw new DemoTokenUsageError('--region <code> is required for a supervisor');
  }
  const user: AuthenticatedUser = {
    userId,
    agencyId,
    roles,
    ...(region === undefined ? {} : { supervisedRegionCode: region }),
    ...(values.name === undefined ? {} : { name: values.name }),
  };
  return { user, ttlSeconds: values.ttl === undefined ? DEFAULT_DEMO_TOKEN_TTL_SECONDS : parseTtl(values.ttl) };
}

function parseRoles(list: string | undefined): Role[] {
  if (list === undefined) return ['officer'];
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new DemoTokenUsageError('--roles is empty');
  const unknown = names.filter((name) => !isRole(name));
  if (unknown.length > 0) {
    throw new DemoTokenUsageError(`unknown roles: ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
  }
  return [...new Set(names.filter(isRole))];
}

const TTL_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `3600`, `90s`, `30m`, `8h`, `7d` into seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * TTL_UNITS[match[2]] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > MAX_TTL_SECONDS) {
    throw new DemoTokenUsageError(`--ttl must be a positive duration up to 366d such as 3600, 30m, 8h or 7d, got "${text}"`);
  }
  return seconds;
}
