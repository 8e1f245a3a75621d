// The human summary of POST /api/v1/import: how many relays were created, replaced, deleted
// (and left unchanged), with their names, so the operator sees exactly what the file did.
import { renderFields } from './table';

type ImportEntry = string | { id?: string; name?: string; changes?: string[] };

/** Each category is a list of relays (names, ids or relay objects) or a bare count. */
export type ImportResult = Partial<Record<ImportCategory, ImportEntry[] | number>> | undefined;

const CATEGORIES = ['created', 'replaced', 'updated', 'deleted', 'unchanged'] as const;
type ImportCategory = (typeof CATEGORIES)[number];

function entryName(entry: ImportEntry): string {
  return typeof entry === 'string' ? entry : (entry.name ?? entry.id ?? '?');
}

function describe(value: ImportEntry[] | number): string {
  if (typeof value === 'number') return String(value);
  if (value.length === 0) return '0';
  return `${value.length} (${value.map(entryName).join(', ')})`;
}

export function renderImportResult(result: ImportResult): string {
  const fields: Array<[string, string]> = [];
  for (const category of CATEGORIES) {
    const value = result?.[category];
    if (typeof value === 'number' || Array.isArray(value)) fields.push([category, describe(value)]);
  }
  return fields.length > 0 ? `import applied\n${renderFields(fields)}` : 'import applied\n';
}

const PLAN_VERBS: Array<[ImportCategory, string]> = [
  ['created', 'create'],
  ['replaced', 'replace'],
  ['deleted', 'delete'],
  ['unchanged', 'unchanged'],
];

/** The plan of a dry run: one line per relay with what the import would do, and each change. */
export function renderImportPlan(result: ImportResult): string {
  const lines: string[] = [];
  for (const [category, verb] of PLAN_VERBS) {
    const entries = result?.[category];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const id = typeof entry === 'object' && entry.id !== undefined ? ` (${entry.id})` : '';
      lines.push(`  ${verb.padEnd(10)} ${entryName(entry)}${id}`);
      const changes = typeof entry === 'object' ? (entry.changes ?? []) : [];
      lines.push(...changes.map((change) => `             ${change}`));
    }
  }
  const body = lines.length > 0 ? lines.join('\n') : '  (the file has no rules and nothing would be deleted)';
  return `dry run: nothing was changed; this import would:\n${body}\n`;
}
