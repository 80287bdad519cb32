/**
 * URLs go into access logs; the parts a citizen typed (a certificate number to check, a search) are personal
 * or lead to a person, so they are masked there. The route shape stays readable for operators.
 */
const CITIZEN_PATH_SEGMENTS = [/^(\/public\/certificates\/)[^/?]+/];
const CITIZEN_QUERY_KEYS = new Set(['q', 'search', 'number', 'idnumber', 'name', 'phone', 'party', 'partyname', 'creditcode']);
const MASK = '***';

export function maskUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const queryAt = url.indexOf('?');
  let pathPart = queryAt < 0 ? url : url.slice(0, queryAt);
  for (const pattern of CITIZEN_PATH_SEGMENTS) pathPart = pathPart.replace(pattern, `$1${MASK}`);
  if (queryAt < 0) return pathPart;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals < 0 ? pair : pair.slice(0, equals);
      return CITIZEN_QUERY_KEYS.has(decodeKey(key).toLowerCase()) ? `${key}=${MASK}` : pair;
    })
    .join('&');
  return `${pathPart}?${query}`;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
