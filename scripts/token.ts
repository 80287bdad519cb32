// `npm run -s token -- <user> [--agency <id>] [--roles a,b] [--ttl 8h]`: a demo bearer token from the embedded
// platform's local issuer. Only the token goes to stdout, so `TOKEN=$(npm run -s token -- alice ...)` works.
import { DEMO_TOKEN_USAGE, DemoTokenUsageError, issueDemoToken } from '@enforcement/auth';
import { DEMO_USERS, demoUserClaims } from '../services/certificates/src/demo/demo-users';

/** `officer1`, `reviewer`, … stand for the users `npm start` seeds; other ids are taken as given. */
function expandDemoAlias(args: string[]): string[] {
  const [first, ...rest] = args;
  const claims = first ? demoUserClaims(first) : undefined;
  if (!claims) return args;
  const expanded = [claims.userId, '--roles', claims.roles.join(','), '--name', claims.name ?? first];
  if (claims.agencyId) expanded.push('--agency', claims.agencyId);
  if (claims.supervisedRegionCode) expanded.push('--region', claims.supervisedRegionCode);
  return [...expanded, ...rest];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stderr.write(`${DEMO_TOKEN_USAGE}\ndemo users: ${DEMO_USERS.map((user) => user.alias).join(', ')}\n`);
    return 0;
  }
  try {
    const result = await issueDemoToken(expandDemoAlias(args), process.env);
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`${result.token}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DemoTokenUsageError) {
      process.stderr.write(`token: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
