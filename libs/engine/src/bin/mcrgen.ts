#!/usr/bin/env node
// `mcrgen`: the paced, sequenced traffic generator (see `mcrgen --help`).
import { runTool } from './run-tool';

runTool('mcrgen');
