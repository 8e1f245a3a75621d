#!/usr/bin/env node
// @ts-check
// Writes src/contract.js as a C++ header for the native core (constants, the ErrorCode enum and
// X-macros listing the counters). Plain Node, no build step: the native build runs it at `npm ci`.
//   generate-cpp-header.js OUT.h           write OUT.h (untouched when already current)
//   generate-cpp-header.js --check OUT.h   exit 1 unless OUT.h is what the contract gives now
'use strict';

const { existsSync, readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const { relaySpec, engineOptions, counters, errors, querier } = require('../src/contract.js');

/** "bufferSize" -> "buffer_size", "invalidOption" -> "invalid_option" @param {string} name */
function snakeCase(name) {
  return name.replace(/[A-Z]/g, (/** @type {string} */ letter) => `_${letter.toLowerCase()}`);
}

/** A C++ string literal (the contract's texts are printable ASCII). @param {string} text */
function quoted(text) {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`contract text is not printable ASCII: ${text}`);
  return JSON.stringify(text);
}

/** @param {string} name @param {{ min: number, max: number, rule: string }} range */
function range(name, { min, max, rule }) {
  return `inline constexpr IntegerRange ${name}{${min}, ${max}, ${quoted(rule)}};`;
}

function specSection() {
  return [
    'namespace spec {',
    `inline constexpr int64_t name_max_chars = ${relaySpec.name.maxChars};`,
    `inline constexpr const char* name_rule = ${quoted(relaySpec.name.rule)};`,
    `inline constexpr int64_t interface_name_max_chars = ${relaySpec.interfaceName.maxChars};`,
    `inline constexpr const char* interface_name_rule = ${quoted(relaySpec.interfaceName.rule)};`,
    range('port', relaySpec.port),
    range('ttl', relaySpec.ttl),
    `inline constexpr int64_t ttl_default = ${relaySpec.ttl.default};`,
    range('dscp', relaySpec.dscp),
    `inline constexpr int64_t dscp_default = ${relaySpec.dscp.default};`,
    range('outputs', relaySpec.outputs),
    range('window_ms', relaySpec.redundancy.windowMs),
    `inline constexpr int64_t window_ms_default = ${relaySpec.redundancy.windowMs.default};`,
    range('loss_ms', relaySpec.redundancy.lossMs),
    `inline constexpr int64_t loss_ms_default = ${relaySpec.redundancy.lossMs.default};`,
    range('revert_ms', relaySpec.redundancy.revertMs),
    `inline constexpr const char* redundancy_mode_rule = ${quoted(relaySpec.redundancy.modeRule)};`,
    `inline constexpr const char* analyze_rule = ${quoted(relaySpec.analyze.rule)};`,
    `inline constexpr const char* redundancy_key_rule = ${quoted(relaySpec.redundancy.keyRule)};`,
    `inline constexpr const char* same_input_rule = ${quoted(relaySpec.redundancy.sameInputRule)};`,
    '}  // namespace spec',
  ];
}

/** @param {(typeof engineOptions)[number]} option */
function optionLine(option) {
  const name = snakeCase(option.name);
  switch (option.type) {
    case 'integer':
      return `inline constexpr IntegerOption ${name}{${quoted(option.name)}, ${option.min}, ${option.max}, ${option.default}};`;
    case 'boolean':
      return `inline constexpr BooleanOption ${name}{${quoted(option.name)}, ${option.default}};`;
    case 'integerList':
      return `inline constexpr IntegerListOption ${name}{${quoted(option.name)}, ${option.min}, ${option.max}};`;
    case 'choice':
      return [
        `inline constexpr const char* ${name}_choices[] = {${option.choices.map(quoted).join(', ')}};`,
        `inline constexpr ChoiceOption ${name}{${quoted(option.name)}, ${name}_choices, ${option.choices.length}, ${quoted(option.default)}};`,
      ].join('\n');
  }
}

function querierSection() {
  return [
    'namespace querier {',
    range('interval_s', querier.intervalS),
    `inline constexpr int64_t interval_s_default = ${querier.intervalS.default};`,
    `inline constexpr int64_t max_interfaces = ${querier.interfaces.maxInterfaces};`,
    `inline constexpr int64_t robustness = ${querier.robustness};`,
    `inline constexpr int64_t max_response_ms = ${querier.maxResponseMs};`,
    `inline constexpr int64_t last_member_query_interval_ms = ${querier.lastMemberQueryIntervalMs};`,
    '}  // namespace querier',
  ];
}

function errorSection() {
  const enumerators = errors.map((error) => snakeCase(error.name));
  return [
    `enum class ErrorCode { ${enumerators.join(', ')} };`,
    `inline constexpr ErrorCode kErrorCodes[] = {${enumerators.map((e) => `ErrorCode::${e}`).join(', ')}};`,
    '',
    '// The code JavaScript sees (error.code); one per ErrorCode.',
    'constexpr const char* error_code_name(ErrorCode code) {',
    '  switch (code) {',
    ...errors.map((error) => `    case ErrorCode::${snakeCase(error.name)}: return ${quoted(error.code)};`),
    '  }',
    '  return "ERR_MCR_UNKNOWN";',
    '}',
  ];
}

const NATIVE_TYPES = { counter: 'Counter', errnoTable: 'ErrnoCounters', gauge: 'Gauge' };

/** `#define NAME(X) X(...) X(...)`, one X per line. @param {string} name @param {string[]} entries */
function xMacro(name, entries) {
  const lines = entries.map((entry) => `  X(${entry})`);
  if (lines.length === 0) return [`#define ${name}(X)`];
  return [`#define ${name}(X) \\`, ...lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line))];
}

/** @param {string} prefix @param {'relay' | 'output' | 'leg'} scope */
function counterMacros(prefix, scope) {
  const inScope = counters.filter((counter) => counter.scope === scope);
  const errnoTables = inScope.filter((counter) => counter.native === 'errnoTable');
  return [
    ...xMacro(
      `${prefix}_COUNTERS`,
      inScope.map((counter) => `${snakeCase(counter.name)}, ${quoted(counter.name)}, ${NATIVE_TYPES[counter.native]}`),
    ),
    ...xMacro(
      `${prefix}_ERRNO_TABLES`,
      errnoTables.map((counter) => `${snakeCase(counter.name)}, ${quoted(counter.name)}`),
    ),
  ];
}

function header() {
  return [
    "// MCR's contract (libs/contract/src/contract.js) as C++: generated by",
    '// libs/contract/scripts/generate-cpp-header.js during the native build. Do not edit; edit the contract.',
    '#pragma once',
    '',
    '#include <cstddef>',
    '#include <cstdint>',
    '',
    'namespace mcr::contract {',
    '',
    '// An inclusive range and the phrase that follows "<field> must be " when a value is outside it.',
    'struct IntegerRange {',
    '  int64_t min;',
    '  int64_t max;',
    '  const char* rule;',
    '};',
    '',
    ...specSection(),
    '',
    "// Engine options: `name` is the caller's spelling, used in every error about the option.",
    'struct IntegerOption {',
    '  const char* name;',
    '  int64_t min;',
    '  int64_t max;',
    '  int64_t default_value;',
    '};',
    'struct BooleanOption {',
    '  const char* name;',
    '  bool default_value;',
    '};',
    'struct IntegerListOption {  // every element in min..max; the default is empty',
    '  const char* name;',
    '  int64_t min;',
    '  int64_t max;',
    '};',
    'struct ChoiceOption {  // one of `count` words',
    '  const char* name;',
    '  const char* const* choices;',
    '  size_t count;',
    '  const char* default_value;',
    '};',
    '',
    'namespace option {',
    ...engineOptions.map(optionLine),
    '}  // namespace option',
    '',
    '// The IGMP/MLD querier: the query interval range and the RFC timer defaults.',
    ...querierSection(),
    '',
    ...errorSection(),
    '',
    '// Counters: X(member, "name in JavaScript", live type in core/counters.h). Declaring, snapshotting',
    '// and converting them all expand these lists; only the increment is written by hand. The',
    '// *_ERRNO_TABLES lists repeat the errno-table counters, whose snapshot also has a count per errno.',
    ...counterMacros('MCR_RELAY', 'relay'),
    '',
    ...counterMacros('MCR_OUTPUT', 'output'),
    '',
    ...counterMacros('MCR_LEG', 'leg'),
    '',
    '}  // namespace mcr::contract',
    '',
  ].join('\n');
}

/** @param {string[]} args */
function main(args) {
  const check = args[0] === '--check';
  const out = check ? args[1] : args[0];
  if (!out) {
    console.error('usage: generate-cpp-header.js [--check] OUT.h');
    process.exit(2);
  }
  const text = header();
  const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  if (check) {
    if (current === text) return;
    console.error(
      `${out} is not current with libs/contract/src/contract.js: rebuild the native code (npm run build -w @mcr/native)`,
    );
    process.exit(1);
  }
  if (current === text) return; // an unchanged header recompiles nothing
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
}

main(process.argv.slice(2));
