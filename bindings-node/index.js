'use strict'
// plangate for Node.js: the native engine (plangate.linux-x64-gnu.node, built by napi-rs from
// bindings-node/src) with a JavaScript surface. Thin: the addon hands back JSON outcomes; this file
// parses them, and turns an error outcome into an Error with a `code` and the structured details.

const { join } = require('node:path')

/** The platforms the addon is built for. */
const SUPPORTED = 'Linux x64 (glibc 2.17 or later)'

function loadNative() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    const error = new Error(`plangate's native addon runs on ${SUPPORTED}; this is ${process.platform} ${process.arch}`)
    error.code = 'UNSUPPORTED_PLATFORM'
    throw error
  }
  return require(join(__dirname, 'plangate.linux-x64-gnu.node'))
}

const native = loadNative()

/** An input plangate cannot read, parse or verify: never a verdict. */
class PlangateError extends Error {
  constructor(payload) {
    super(payload.message)
    this.name = 'PlangateError'
    this.code = payload.code
    for (const key of ['path', 'line', 'column', 'jsonPath', 'key', 'expected', 'found']) {
      this[key] = payload[key] ?? null
    }
    this.errors = payload.errors ?? [payload.message]
  }
}

function unwrap(json) {
  const outcome = JSON.parse(json)
  if (outcome.error) throw new PlangateError(outcome.error)
  return outcome.ok
}

/** Checks a Terraform plan: a path, or a Buffer with the plan's content (JSON or a binary plan). */
async function checkPlan(plan, options = {}) {
  if (typeof plan !== 'string' && !Buffer.isBuffer(plan)) {
    throw new TypeError(`plan must be a path or a Buffer, not ${typeof plan}`)
  }
  const checked = await native.checkPlan(plan, options)
  const report = unwrap(checked.outcome())
  for (const list of ['findings', 'drift']) readOnFirstUse(report, list, () => checked[list]())
  return report
}

/**
 * Makes `report[key]` the list that `json()` writes, parsed when first read (as Python's `Report`
 * makes its findings): a big plan's findings are most of its outcome, and a caller may only want the
 * verdict. The key keeps its place among the report's keys, and reads as a plain property after.
 * `json()` gives its list once, so the getter keeps what it parsed: a copy made of the report's
 * property descriptors, or a frozen report, still reads the findings, never an empty list.
 */
function readOnFirstUse(report, key, json) {
  let parsed
  const settle = (target, value) =>
    Reflect.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
  Object.defineProperty(report, key, {
    get() {
      parsed ??= JSON.parse(json())
      settle(this, parsed)
      return parsed
    },
    set(value) {
      settle(this, value)
    },
    enumerable: true,
    configurable: true,
  })
}

/** An input as the addon takes it: a path, a Buffer, or `{ name, content }` / `{ name, path }`. */
function source(input, i, what) {
  if (typeof input === 'string') return { path: input }
  if (Buffer.isBuffer(input)) return { name: `${what}[${i}]`, content: input }
  if (input && typeof input === 'object') return { name: input.name, content: input.content, path: input.path }
  throw new TypeError(`${what}[${i}] must be a path, a Buffer or { name, content }, not ${typeof input}`)
}

/**
 * Checks several plans together, and gates scanner reports beside them: every plan's report, every
 * input that cannot be read, and the worst verdict (3, then 1, then 2, then 0).
 */
async function checkPlans(plans, options = {}) {
  const { reports = [], ...settings } = options
  return unwrap(
    await native.checkPlans(
      plans.map((plan, i) => source(plan, i, 'plans')),
      reports.map((report, i) => source(report, i, 'reports')),
      settings,
    ),
  )
}

/** A report as text, json, sarif, markdown, github (workflow commands), gitlab, gitlab-terraform, azure-devops or junit. */
function renderReport(report, format, options = {}) {
  return unwrap(native.renderReport(JSON.stringify(report), format, options))
}

/** A run of several plans (as `checkPlans` gave it) in a format; Markdown held to `maxBytes`. */
function renderRun(run, format, options = {}) {
  return unwrap(native.renderRun(JSON.stringify(run), format, options))
}

/**
 * Writes a run (as `checkPlans` gave it) as one sticky comment on the pull or merge request the
 * CI's variables name. A comment is not the gate: what goes wrong is in the outcome's `warnings`.
 */
async function postComment(run, options) {
  return unwrap(await native.postComment(JSON.stringify(run), options))
}

/** Untrusted text escaped for Markdown and HTML on one line (no markup, HTML or @-mentions). */
function escapeMarkdown(text) {
  return native.escapeMarkdown(String(text))
}

/** Reads, validates and gates scanner reports: paths, Buffers, or `{ name, content }`. */
async function scanReports(reports, options = {}) {
  return unwrap(await native.scanReports(reports.map((report, i) => source(report, i, 'reports')), options))
}

/** A scan result as text, json, sarif, markdown, github, gitlab, azure-devops or junit. */
function renderScan(result, format) {
  return unwrap(native.renderScan(JSON.stringify(result), format))
}

/** The delays of a retry policy (a configuration step, or settings). */
function retrySchedule(options) {
  return unwrap(native.retrySchedule(options))
}

/** Classifies a failure's text under a retry policy's `retry_on` patterns. */
function classify(text, options) {
  return unwrap(native.classify(text, options))
}

/** Where each resource address is declared in the Terraform sources of `dir`. */
function sourceLocations(dir, addresses) {
  return unwrap(native.sourceLocations(dir, addresses))
}

/** Every rule of the registry. */
function rules() {
  return unwrap(native.rules())
}

/** The documentation of one rule, as `plangate explain ID` prints it. */
function explain(id) {
  return unwrap(native.explain(id))
}

module.exports = {
  PlangateError,
  checkPlan,
  checkPlans,
  classify,
  escapeMarkdown,
  explain,
  postComment,
  renderReport,
  renderRun,
  renderScan,
  retrySchedule,
  rules,
  scanReports,
  sourceLocations,
}
