// The gate as a GitHub Action: check every plan (and scanner report) with the engine, then put
// the findings where a reviewer looks: annotations on the .tf lines, the job summary, one sticky
// comment, the outputs, and a step that fails exactly when the gate does.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import * as core from '@actions/core'

import { checkPlan, renderReport, scanReports } from '../../bindings-node/index.js'
import { annotate } from './annotations.js'
import { stickyComment } from './comment.js'
import { readInputs } from './inputs.js'
import { runMarkdown } from './markdown.js'

const COMMENT_LIMIT = 65536
const SUMMARY_LIMIT = 1024 * 1024 - 1024
const STATUS_RANK = { safe: 0, high_risk: 1, critical: 2 }

/** How the workspace names a file: relative to it when inside. */
function label(file) {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const relative = path.relative(workspace, file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

/** 3 beats 1 beats 2 beats 0: an unreadable input, then critical, then high-risk. */
function worseExit(a, b) {
  const rank = (code) => [0, 2, 1, 3].indexOf(code)
  return rank(b) > rank(a) ? b : a
}

async function checkAll(inputs) {
  const run = { plans: [], errors: [], scan: undefined, exitCode: 0, status: 'safe' }
  for (const plan of inputs.plans) {
    const options = {
      config: inputs.config,
      env: inputs.config ? undefined : inputs.environment,
      failOnHighRisk: inputs.failOnHighRisk || undefined,
      sourceDir: inputs.workingDirectory,
      label: label(plan),
    }
    try {
      const report = await checkPlan(plan, options)
      run.plans.push({ plan, label: label(plan), report })
      run.exitCode = worseExit(run.exitCode, report.verdict.exit_code)
      if (STATUS_RANK[report.status] > STATUS_RANK[run.status]) run.status = report.status
    } catch (error) {
      run.errors.push({ plan: label(plan), message: error.message })
      run.exitCode = 3
    }
  }
  if (inputs.reports.length > 0) {
    try {
      run.scan = await scanReports(inputs.reports, { config: inputs.config })
      if (!run.scan.passed) run.exitCode = worseExit(run.exitCode, 1)
    } catch (error) {
      run.errors.push({ plan: inputs.reports.map(label).join(', '), message: error.message })
      run.exitCode = 3
    }
  }
  if (run.exitCode === 3) run.status = 'error'
  return run
}

function totals(run) {
  const sum = (key) => run.plans.reduce((n, { report }) => n + report[key], 0)
  return { critical: sum('critical_changes'), highRisk: sum('high_risk_changes'), total: sum('total_changes') }
}

function writeReport(run) {
  const dir = process.env.RUNNER_TEMP || fs.mkdtempSync(path.join(os.tmpdir(), 'plangate-'))
  const file = path.join(dir, 'plangate-report.json')
  const t = totals(run)
  const content = {
    schema_version: 1,
    status: run.status,
    exit_code: run.exitCode,
    total_changes: t.total,
    high_risk_changes: t.highRisk,
    critical_changes: t.critical,
    plans: run.plans.map(({ label, report }) => ({ plan: label, report })),
    errors: run.errors,
    scan: run.scan ?? null,
  }
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`)
  return file
}

/** One SARIF file for all plans: a run each, told apart by its category. */
function writeSarif(run, file) {
  const runs = run.plans.map(({ label, report }) => {
    const sarif = JSON.parse(renderReport(report, 'sarif', { label }))
    const only = sarif.runs[0]
    only.automationDetails = { id: `plangate/plan/${label}/` }
    return only
  })
  const sarif = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(sarif, null, 2)}\n`)
}

export async function run() {
  let inputs
  try {
    inputs = await readInputs()
  } catch (error) {
    core.setOutput('status', 'error')
    core.setOutput('exit-code', '3')
    core.error(error.message, { title: 'plangate cannot run' })
    core.setFailed(error.message)
    return
  }
  const result = await checkAll(inputs)
  const t = totals(result)

  for (const { plan, message } of result.errors) core.error(message, { title: `plangate cannot read ${plan}` })
  const hidden = annotate(result.plans, result.scan)
  const counted = `plangate: ${result.status} (exit ${result.exitCode}): ${t.critical} critical and ${t.highRisk} high-risk of ${t.total} changes`
  core.notice(hidden > 0 ? `${counted}; ${hidden} more annotations not shown: see the job summary` : counted, { title: 'plangate summary' })

  await core.summary.addRaw(runMarkdown(result, SUMMARY_LIMIT)).write()
  const commentUrl = await stickyComment({ token: inputs.token, mode: inputs.comment, body: runMarkdown(result, COMMENT_LIMIT - 200) })
  if (inputs.sarifOutput) writeSarif(result, inputs.sarifOutput)

  core.setOutput('status', result.status)
  core.setOutput('exit-code', String(result.exitCode))
  core.setOutput('critical-changes', String(t.critical))
  core.setOutput('high-risk-changes', String(t.highRisk))
  core.setOutput('total-changes', String(t.total))
  core.setOutput('report-path', writeReport(result))
  core.setOutput('comment-url', commentUrl ?? '')

  if (result.exitCode === 3) {
    core.setFailed(`plangate cannot read every input: ${result.errors.map((e) => e.plan).join(', ')}`)
  } else if (result.exitCode !== 0) {
    const reasons = result.plans.filter(({ report }) => !report.verdict.passed).map(({ label, report }) => `${label}: ${report.verdict.reason}`)
    if (result.scan && !result.scan.passed) reasons.push(`scanner reports: ${result.scan.reasons.join('; ')}`)
    core.setFailed(`plangate: the gate failed (exit ${result.exitCode}): ${reasons.join(' ')}`)
  }
}
