import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const FIELD_KEY_BYTES = 32;
/** A 32-byte key in base64, as FIELD_ENCRYPTION_KEY and the key file hold it. */
export const FIELD_KEY_TEXT = /^[A-Za-z0-9+/]{43}=$/;
const KEY_TEXT = FIELD_KEY_TEXT;
/** How long to wait for a key another process is still writing (only without hard links). */
const PARTIAL_READ_RETRIES = 40;
const PARTIAL_READ_DELAY_MS = 50;

/** Decodes a base64 AES-256 key, refusing anything that is not exactly 32 bytes. */
export function decodeFieldKey(text: string): Buffer {
  const trimmed = text.trim();
  if (!KEY_TEXT.test(trimmed)) throw new Error('the field encryption key must be 32 bytes, base64');
  return Buffer.from(trimmed, 'base64');
}

/**
 * The keys of a list such as FIELD_ENCRYPTION_PREVIOUS_KEYS: base64 keys separated by commas (spaces and
 * newlines allowed), newest first. Empty or unset: none. Does not check them; `decodeFieldKey` does.
 */
export function parseFieldKeyList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,\s]+/)
    .map((key) => key.trim())
    .filter(Boolean);
}

/**
 * Embedded mode's field key: read from `file`, or created there on first use (mode 0600). Processes starting
 * together agree on one key: each writes its candidate to a private temporary file and hard-links it into
 * place, and link() fails when the target exists, so exactly one wins and nobody sees a half-written key.
 * An existing file is never replaced: a new key would make every encrypted field unreadable.
 */
export async function loadOrCreateFieldKey(file: string): Promise<Buffer> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const existing = await readKeyFile(file);
  if (existing) return existing;
  const candidate = `${randomBytes(FIELD_KEY_BYTES).toString('base64')}\n`;
  return (await createExclusively(file, candidate)) ?? decodeFieldKey(candidate);
}

/** The key in `file`, or undefined when there is none yet. */
async function readKeyFile(file: string): Promise<Buffer | undefined> {
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    if (KEY_TEXT.test(text.trim())) return decodeFieldKey(text);
    if (attempt >= PARTIAL_READ_RETRIES) {
      throw new Error(`${file} does not hold a field encryption key (32 bytes, base64); restore it from backup`);
    }
    // Only the no-hard-link fallback can expose a half-written file; give its writer time to finish.
    await new Promise((resolve) => setTimeout(resolve, PARTIAL_READ_DELAY_MS));
  }
}

/** Undefined when our candidate became the key; otherwise the key someone else put there first. */
async function createExclusively(file: string, content: string): Promise<Buffer | undefined> {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeDurably(temporary, content, 'wx');
  try {
    await fs.link(temporary, file);
    return undefined;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return readKeyFile(file);
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV') return createWithoutLink(file, content);
    throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

/** For file systems without hard links: an exclusive create; readers wait until the whole key is there. */
async function createWithoutLink(file: string, content: string): Promise<Buffer | undefined> {
  try {
    await writeDurably(file, content, 'wx');
    return undefined;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return readKeyFile(file);
    throw error;
  }
}

async function writeDurably(file: string, content: string, flag: 'wx'): Promise<void> {
  const handle = await fs.open(file, flag, 0o600);
  try {
    // The mode passed to open() is narrowed by the umask only; make sure nobody else may read the key.
    await handle.chmod(0o600);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
