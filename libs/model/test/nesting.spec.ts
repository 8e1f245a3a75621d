// nestsDeeperThan: measures a parsed body's depth without recursion, so hostile bodies cannot
// overflow the stack of the checks that walk them afterwards.
import { MAX_BODY_DEPTH, nestsDeeperThan, tooDeepMessage } from '../src/nesting';

const arrays = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const objects = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('nestsDeeperThan', () => {
  it.each([
    [1, false],
    ['text', false],
    [null, false],
    [[], false],
    [{ a: [{ b: 1 }] }, false],
  ])('%j is within a limit of 3', (value, deeper) => {
    expect(nestsDeeperThan(value, 3)).toBe(deeper);
  });

  it('counts objects and arrays alike, up to and past the limit', () => {
    expect(nestsDeeperThan(arrays(MAX_BODY_DEPTH))).toBe(false);
    expect(nestsDeeperThan(arrays(MAX_BODY_DEPTH + 1))).toBe(true);
    expect(nestsDeeperThan(objects(MAX_BODY_DEPTH))).toBe(false);
    expect(nestsDeeperThan(objects(MAX_BODY_DEPTH + 1))).toBe(true);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(arrays(100_000))).toBe(true);
  });

  it('finds one deep branch among shallow ones', () => {
    expect(nestsDeeperThan({ rules: [{ name: 'a' }, { input: arrays(40) }] })).toBe(true);
  });

  it('states the limit in its message', () => {
    expect(tooDeepMessage('request body')).toBe(
      'request body must be nested at most 32 levels deep (objects and arrays)',
    );
  });
});
