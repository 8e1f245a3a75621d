// EngineError: what the engine throws: a contract error code, with the field and value it objects to.
import { ENGINE_ERROR_CODES } from '@mcr/contract';
import { errnoName } from './errno';
import type { EngineSpecErrorFields } from './types';

export type EngineErrorCode = EngineSpecErrorFields['code'];

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly field?: string;
  readonly value?: string;
  /** Symbolic errno ("ENODEV") for system errors. */
  readonly errno?: string;

  constructor(message: string, fields: EngineSpecErrorFields) {
    super(message);
    this.name = 'EngineError';
    this.code = fields.code;
    this.field = fields.field;
    this.value = fields.value;
    this.errno = fields.errno;
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set<EngineErrorCode>(ENGINE_ERROR_CODES);

/** Converts an error thrown by the addon into an EngineError; anything else passes through. */
export function fromNativeError(error: unknown): unknown {
  // Duck-typed, not instanceof: the addon creates its errors in the main realm, which is not
  // the realm of a vm context (Jest, REPL) that may be calling it.
  if (typeof error !== 'object' || error === null) return error;
  const props = error as { message?: unknown; code?: unknown; field?: unknown; value?: unknown; errno?: unknown };
  if (typeof props.code !== 'string' || !KNOWN_CODES.has(props.code)) return error;
  return new EngineError(String(props.message), {
    code: props.code as EngineErrorCode,
    field: typeof props.field === 'string' ? props.field : undefined,
    value: typeof props.value === 'string' ? props.value : undefined,
    errno: typeof props.errno === 'number' && props.errno > 0 ? errnoName(props.errno) : undefined,
  });
}
