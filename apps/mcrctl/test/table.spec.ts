// Aligned tables: every column starts at the same offset on every line, numbers right-aligned.
import { renderFields, renderTable } from '../src/table';

describe('renderTable', () => {
  it('pads columns to the widest cell and right-aligns numeric columns', () => {
    const text = renderTable(
      [{ header: 'NAME' }, { header: 'PKT/S', align: 'right' }, { header: 'STATE' }],
      [
        ['market-feed-a', '12.3k', 'enabled'],
        ['b', '7', 'disabled'],
      ],
    );
    expect(text).toBe(
      ['NAME           PKT/S  STATE', 'market-feed-a  12.3k  enabled', 'b                  7  disabled', ''].join('\n'),
    );
  });

  it('counts code points, not UTF-16 units, and leaves no trailing spaces', () => {
    const text = renderTable(
      [{ header: 'N' }, { header: 'X' }],
      [
        ['café', ''],
        ['ab', 'y'],
      ],
    );
    expect(text).toBe(['N     X', 'café', 'ab    y', ''].join('\n'));
  });

  it('renders just the header for no rows', () => {
    expect(renderTable([{ header: 'ID' }, { header: 'NAME' }], [])).toBe('ID  NAME\n');
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => renderTable([{ header: 'A' }], [['1', '2']])).toThrow('table row 0 has 2 cells, expected 1');
  });
});

describe('renderFields', () => {
  it('aligns the values after the longest key', () => {
    expect(
      renderFields([
        ['id', 'x'],
        ['revision', '7'],
      ]),
    ).toBe('id:       x\nrevision: 7\n');
  });
});
