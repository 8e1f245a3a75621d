// The querier through the binding: options refused by field, the snapshot's shape, the role
// it follows and a second start refused. Runs on loopback, which carries no hosts to query.
import { Engine, EngineError } from '../src';

function refusal(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected an EngineError');
}

describe('Engine querier', () => {
  let engine: Engine;
  beforeEach(() => {
    engine = new Engine();
  });
  afterEach(() => engine.close());

  it('is absent until started', () => {
    expect(engine.querier()).toBeUndefined();
  });

  it.each([
    [{ interfaces: [] }, 'querierInterfaces'],
    [{ interfaces: ['lo'], intervalS: 0 }, 'querierIntervalS'],
    [{ interfaces: ['lo'], intervalS: 1.5 }, 'querierIntervalS'],
    [{ interfaces: ['lo', 'lo'] }, 'querierInterfaces[0]'],
    [{ interfaces: ['lo', 'a b'] }, 'querierInterfaces[1]'],
  ])('refuses %j naming %s', (options, field) => {
    const error = refusal(() => engine.startQuerier(options));
    expect(error.code).toBe('ERR_MCR_OPTION');
    expect(error.field).toBe(field);
    expect(engine.querier()).toBeUndefined();
  });

  it('reports both protocols per interface with the RFC timers of its interval', () => {
    engine.startQuerier({ interfaces: ['lo'], intervalS: 20 });
    const snapshot = engine.querier();
    expect(snapshot?.timers).toEqual({
      queryIntervalMs: 20_000,
      queryResponseIntervalMs: 10_000,
      robustness: 2,
      groupMembershipIntervalMs: 50_000,
      otherQuerierPresentIntervalMs: 45_000,
      lastMemberQueryTimeMs: 2_000,
    });
    expect(snapshot?.interfaces.map((i) => [i.interface, i.protocol, i.up])).toEqual([
      ['lo', 'igmp', true],
      ['lo', 'mld', true],
    ]);
    expect(snapshot?.interfaces[0]).toMatchObject({ address: '127.0.0.1', version: 3, groups: [] });
  });

  it('follows the engine role: a standby engine does not query', () => {
    engine.setRole('standby');
    engine.startQuerier({ interfaces: ['lo'] });
    expect(engine.querier()?.active).toBe(false);
    expect(engine.querier()?.interfaces[0].state).toBe('standby');
    engine.setRole('active');
    expect(engine.querier()?.active).toBe(true);
    expect(engine.querier()?.interfaces[0].state).toBe('querier');
  });

  it('starts once', () => {
    engine.startQuerier({ interfaces: ['lo'] });
    expect(refusal(() => engine.startQuerier({ interfaces: ['lo'] })).code).toBe('ERR_MCR_DUPLICATE');
  });
});
