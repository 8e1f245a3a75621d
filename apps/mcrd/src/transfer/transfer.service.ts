// Import and export of rules files. An import is all or nothing: the whole file is parsed and
// every rule checked (the error names the rule by index and name) before one atomic store write.
import { BadRequestException, HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { formatRulesFile, parseRulesFile, RulesFileError, type Relay, type RelaySpec } from '@mcr/model';
import type { RelayStore } from '@mcr/store';
import { Reconciler } from '../reconciler/reconciler.service';
import { RelayChecks } from '../relays/relay-checks';
import { RelaysService, type ChangeOrigin } from '../relays/relays.service';
import { RELAY_STORE } from '../tokens';
import { planImport, type ImportMode, type ImportPlan } from './import-plan';
import type { ImportResultDto } from './transfer.dto';

const APPLY_WAIT_MS = 5_000;

@Injectable()
export class TransferService {
  private readonly logger = new Logger('Transfer');

  constructor(
    @Inject(RELAY_STORE) private readonly store: RelayStore,
    private readonly relays: RelaysService,
    private readonly checks: RelayChecks,
    private readonly reconciler: Reconciler,
  ) {}

  async export(): Promise<string> {
    return formatRulesFile(await this.relays.list());
  }

  /**
   * Plans, checks and (unless `dryRun`) applies a rules file. A dry run answers the plan after
   * every check a real import makes (so it fails where the import would) and writes nothing.
   */
  async import(text: string, mode: ImportMode, origin: ChangeOrigin, dryRun = false): Promise<ImportResultDto> {
    const rules = parseRules(text);
    const { result, waitFor } = await this.relays.exclusive(async () => {
      const plan = planImport(rules, await this.relays.list(), mode);
      this.checkPlan(plan);
      if (dryRun) return { result: summary(plan, new Map(), true), waitFor: undefined };
      return this.applyPlan(plan);
    });
    if (dryRun) return result;
    this.logger.log(
      { event: 'relays.imported', mode, ...result, origin },
      `import (${mode}): ${result.created.length} created, ${result.replaced.length} replaced, ${result.deleted.length} deleted, ${result.unchanged.length} unchanged`,
    );
    if (waitFor !== undefined) await this.reconciler.waitForRevision(waitFor, APPLY_WAIT_MS);
    return result;
  }

  /** One store write for the whole plan; the answer, and the revision the reconciler must reach. */
  private async applyPlan(plan: ImportPlan): Promise<{ result: ImportResultDto; waitFor?: number }> {
    if (plan.create.length + plan.replace.length + plan.delete.length === 0)
      return { result: summary(plan, new Map()) };
    const written = await this.store.apply({
      create: plan.create.map((c) => c.spec),
      replace: plan.replace.map((r) => ({ id: r.id, spec: r.spec })),
      delete: plan.delete.map((relay) => relay.id),
    });
    // apply() answers the replaced relays, then the created ones, in batch order.
    const created = written.slice(plan.replace.length);
    return {
      result: summary(plan, new Map(created.map((relay) => [relay.name, relay.id]))),
      waitFor: await this.importRevision(written),
    };
  }

  /**
   * The revision the reconciler must reach: the written relays'. Only a delete-only import asks
   * the store, whose list revision (etcd's, which other keys also move) may run ahead of it.
   */
  private async importRevision(written: Relay[]): Promise<number> {
    if (written.length > 0) return Math.max(...written.map((relay) => relay.revision));
    return (await this.store.list()).revision;
  }

  /** Runs the per-relay checks on every changed rule against the ingresses after the import. */
  private checkPlan(plan: ImportPlan): void {
    const changed = [...plan.create, ...plan.replace];
    for (const { index, spec } of changed.sort((a, b) => a.index - b.index)) {
      const others = plan.after.filter((entry) => entry.index !== index).map((entry) => entry.relay);
      try {
        this.checks.check(spec, others);
      } catch (err) {
        throw prefixRule(err, index, spec);
      }
    }
  }
}

function parseRules(text: string): RelaySpec[] {
  try {
    return parseRulesFile(text).rules;
  } catch (err) {
    if (err instanceof RulesFileError) throw new BadRequestException(err.messages);
    throw err;
  }
}

function prefixRule(err: unknown, index: number, spec: RelaySpec): unknown {
  if (!(err instanceof HttpException)) return err;
  const message = (err.getResponse() as { message?: string | string[] }).message ?? err.message;
  const messages = (Array.isArray(message) ? message : [message]).map((m) => `rules[${index}] (${spec.name}): ${m}`);
  return new HttpException({ message: messages }, err.getStatus());
}

/** The answer: each relay by name and id (a created one's id once it exists). */
function summary(plan: ImportPlan, createdIds: Map<string, string>, dryRun = false): ImportResultDto {
  const ref = (name: string, id = createdIds.get(name)) => (id === undefined ? { name } : { id, name });
  return {
    created: plan.create.map((c) => ref(c.spec.name)),
    replaced: plan.replace.map((r) => ({ ...ref(r.spec.name, r.id), changes: r.changes })),
    deleted: plan.delete.map((relay) => ref(relay.name, relay.id)),
    unchanged: plan.unchanged.map((relay) => ref(relay.name, relay.id)),
    dryRun,
  };
}
