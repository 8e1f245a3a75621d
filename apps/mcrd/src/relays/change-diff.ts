// Lists what changed between two versions of a relay, for the audit log ("outputs[1].port: 6000 -> 6001").
export function describeChanges(before: unknown, after: unknown, path = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const bothObjects = isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after);
  if (!bothObjects) return [`${path || '(relay)'}: ${show(before)} -> ${show(after)}`];
  const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
  const changes: string[] = [];
  for (const key of keys) {
    const child = Array.isArray(before) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    changes.push(
      ...describeChanges((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], child),
    );
  }
  return changes;
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}
