// The FileStore's on-disk format, `{ format: "mcr-relays", version: 1, revision, relays }`: writing
// it, and reading it back with every defect reported (path, what is wrong, how to recover).
import { readFile } from 'node:fs/promises';
import { validateRelaySpec, type Relay } from '@mcr/model';
import { StoreUnavailableError } from './relay-store';
import { RelayTable, storedRelay } from './relay-table';

export const STORE_FILE_FORMAT = 'mcr-relays';
export const STORE_FILE_VERSION = 1;

export interface StoreFileContents {
  revision: number;
  relays: Relay[];
}

/** The store file exists but cannot be used; MCR never overwrites it. */
export class StoreFileCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(
      `relay store file ${path} ${problem}. MCR will not overwrite it: move it aside ` +
        `(e.g. mv ${path} ${path}.broken) to start with an empty store, or restore it from a backup`,
    );
    this.name = 'StoreFileCorruptError';
  }
}

export function formatStoreFile(contents: StoreFileContents): string {
  const document = {
    format: STORE_FILE_FORMAT,
    version: STORE_FILE_VERSION,
    revision: contents.revision,
    relays: contents.relays,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A missing file is an empty store at revision 0. */
export async function readStoreFile(path: string): Promise<StoreFileContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { revision: 0, relays: [] };
    throw new StoreUnavailableError(`cannot read relay store file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseStoreFile(path, text);
}

export function parseStoreFile(path: string, text: string): StoreFileContents {
  const corrupt = (problem: string): StoreFileCorruptError => new StoreFileCorruptError(path, problem);
  if (text.trim() === '') throw corrupt('is empty (truncated?)');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw corrupt(`is not valid JSON (truncated or damaged?): ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw corrupt('is not a JSON object');
  }
  const fields = document as Record<string, unknown>;
  if (fields.format !== STORE_FILE_FORMAT) {
    throw corrupt(`has format ${JSON.stringify(fields.format)}, expected "${STORE_FILE_FORMAT}"`);
  }
  if (fields.version !== STORE_FILE_VERSION) {
    throw corrupt(`has version ${JSON.stringify(fields.version)}; this MCR reads version ${STORE_FILE_VERSION}`);
  }
  const revision = fields.revision;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw corrupt(`has revision ${JSON.stringify(revision)}, expected an integer >= 0`);
  }
  if (!Array.isArray(fields.relays)) throw corrupt('has no "relays" array');
  const relays = fields.relays.map((relay: unknown, index) => parseStoredRelay(relay, index, revision, corrupt));
  try {
    RelayTable.of(relays);
  } catch (error) {
    throw corrupt(`breaks a uniqueness rule: ${(error as Error).message}`);
  }
  return { revision, relays };
}

function parseStoredRelay(
  relay: unknown,
  index: number,
  fileRevision: number,
  corrupt: (problem: string) => StoreFileCorruptError,
): Relay {
  const where = `relays[${index}]`;
  const fields = (typeof relay === 'object' && relay !== null ? relay : {}) as Record<string, unknown>;
  if (typeof fields.id !== 'string' || fields.id === '') throw corrupt(`${where} has no id`);
  const revision = fields.revision;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 1 || revision > fileRevision) {
    throw corrupt(`${where} has revision ${JSON.stringify(revision)}, expected an integer 1..${fileRevision}`);
  }
  const messages = validateRelaySpec(relay, { allowServerFields: true, alreadyStored: true });
  if (messages.length > 0) throw corrupt(`${where} is not a valid relay: ${messages.join('; ')}`);
  return storedRelay(fields.id, relay as Relay, revision, true);
}
