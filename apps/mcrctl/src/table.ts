// Aligned plain-text tables for human output (`--json` is for scripts). Columns are padded to
// their widest cell; numeric columns are right-aligned so digits line up.

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

const COLUMN_GAP = '  ';

/** Width in terminal cells; code points rather than UTF-16 units, so names like "café" align. */
function cellWidth(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - cellWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Renders header + rows, one line each, newline-terminated, without trailing spaces. */
export function renderTable(columns: Column[], rows: string[][]): string {
  rows.forEach((row, index) => {
    if (row.length !== columns.length) {
      throw new Error(`table row ${index} has ${row.length} cells, expected ${columns.length}`);
    }
  });
  const widths = columns.map((column, i) =>
    Math.max(cellWidth(column.header), ...rows.map((row) => cellWidth(row[i]))),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => pad(cell, widths[i], columns[i].align ?? 'left'))
      .join(COLUMN_GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}

/** "key: value" lines with the values aligned, for single-resource views such as `get`. */
export function renderFields(fields: Array<[string, string]>): string {
  const width = Math.max(0, ...fields.map(([key]) => cellWidth(key) + 1));
  return fields.map(([key, value]) => `${pad(`${key}:`, width, 'left')} ${value}`.trimEnd()).join('\n') + '\n';
}
