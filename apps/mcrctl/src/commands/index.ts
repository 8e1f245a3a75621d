// Every mcrctl command, in the order `mcrctl --help` lists them.
import type { Command } from '../command';
import { addCommand } from './add';
import { clusterCommand } from './cluster';
import { completionCommand } from './completion';
import { diagCommand } from './diag';
import { disableCommand, enableCommand } from './enable';
import { exportCommand } from './export';
import { getCommand } from './get';
import { importCommand } from './import';
import { listCommand } from './list';
import { maintenanceCommand } from './maintenance';
import { membershipCommand } from './membership';
import { rmCommand } from './rm';
import { setCommand } from './set';
import { statsCommand } from './stats';
import { switchoverCommand } from './switchover';

export const COMMANDS: readonly Command[] = [
  listCommand,
  getCommand,
  addCommand,
  setCommand,
  enableCommand,
  disableCommand,
  rmCommand,
  statsCommand,
  diagCommand,
  clusterCommand,
  switchoverCommand,
  maintenanceCommand,
  membershipCommand,
  importCommand,
  exportCommand,
  completionCommand,
];
