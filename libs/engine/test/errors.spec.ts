// Every error code of the contract, provoked through the real addon: the binding maps each core
// code to its own JavaScript code, and EngineError carries it with the field the caller wrote.
import { ENGINE_ERROR_CODES, type EngineErrorCode } from '@mcr/contract';
import { Engine, EngineError } from '../src';
import { loopbackSpecs } from './support/loopback-spec';

const loopbackSpec = loopbackSpecs(43000);

function thrownBy(call: () => unknown): EngineError {
  try {
    call();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError, nothing was thrown');
}

describe('engine error codes', () => {
  const engine = new Engine();
  const closed = new Engine();
  closed.close();
  afterAll(() => engine.close());

  /** One way to provoke each code, and the field the error must name (undefined = none). */
  const provoke: Record<EngineErrorCode, { call: () => unknown; field?: string }> = {
    ERR_MCR_OPTION: { call: () => new Engine({ bufferSize: 65536 }), field: 'bufferSize' },
    ERR_MCR_SPEC: { call: () => engine.addRelay(loopbackSpec({ name: '' })), field: 'name' },
    ERR_MCR_NOT_FOUND: { call: () => engine.removeRelay('no-such-relay'), field: 'id' },
    ERR_MCR_DUPLICATE: {
      call: () => {
        engine.addRelay(loopbackSpec({ id: 'twice' }));
        engine.addRelay(loopbackSpec({ id: 'twice' }));
      },
      field: 'id',
    },
    ERR_MCR_CLOSED: { call: () => closed.addRelay(loopbackSpec()) },
    ERR_MCR_SYSTEM: {
      call: () => engine.addRelay(loopbackSpec({ input: { interface: 'mcr-nope0', group: '127.0.0.1', port: 5000 } })),
      field: 'input.interface',
    },
  };

  test.each([...ENGINE_ERROR_CODES])('%s is thrown with its own code and field', (code) => {
    const error = thrownBy(provoke[code].call);
    expect(error.code).toBe(code);
    expect(error.field).toBe(provoke[code].field);
  });

  test("bufferSize 65536 is an option error in the caller's spelling, not a C++ name", () => {
    const error = thrownBy(() => new Engine({ bufferSize: 65536 }));
    expect(error).toMatchObject({ code: 'ERR_MCR_OPTION', field: 'bufferSize', value: '65536' });
    expect(error.message).toBe('bufferSize: must be an integer 1..65535, got 65536');
  });
});
