#!/usr/bin/env node
// `mcrsink`: joins a group and reports loss, duplicates, reordering and latency (`mcrsink --help`).
import { runTool } from './run-tool';

runTool('mcrsink');
