// The gate as a GitHub Action: the engine checks every plan and scanner report together and renders
// what a reviewer reads (annotations on the .tf lines, the job summary, the SARIF file, the JSON
// report); this file reads the inputs, hands them over, writes the results where the runner wants
// them, and fails the step exactly when the gate does.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import * as core from '@actions/core'

import { checkPlans, renderRun } from '../../bindings-node/index.js'
import { stickyComment } from './comment.js'
import { readInputs } from './inputs.js'

const SUMMARY_LIMIT = 1024 * 1024

function workspace() {
  return process.env.GITHUB_WORKSPACE || process.cwd()
}

/** How the workspace names a file: relative to it when inside. */
function label(file) {
  const relative = path.relative(workspace(), file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

function writeFile(file, text) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  fs.writeFileSync(file, text)
}

/** The inputs, checked by the engine; an error when an input or a setting cannot be used. */
async function check() {
  const inputs = await readInputs()
  const result = await checkPlans(
    inputs.plans.map((plan) => ({ name: label(plan), path: plan })),
    {
      config: inputs.config,
      env: inputs.environment,
      failOnHighRisk: inputs.failOnHighRisk || undefined,
      sourceDir: inputs.workingDirectory,
      // Paths relative to the git root, else to the workspace (a checkout from an archive).
      sourceRoot: workspace(),
      reports: inputs.reports.map((report) => ({ name: label(report), path: report })),
    },
  )
  return { inputs, result }
}

export async function run() {
  let checked
  try {
    checked = await check()
  } catch (error) {
    core.setOutput('status', 'error')
    core.setOutput('exit-code', '3')
    core.error(error.message, { title: 'plangate cannot run' })
    core.setFailed(error.message)
    return
  }
  const { inputs, result } = checked

  // The annotations, escaped and held to GitHub's limits by the engine.
  process.stdout.write(renderRun(result, 'github'))
  await core.summary.addRaw(renderRun(result, 'markdown', { maxBytes: SUMMARY_LIMIT - 1024 })).write()
  const commentUrl = await stickyComment({ run: result, token: inputs.token, mode: inputs.comment, key: inputs.commentKey })
  if (inputs.sarifOutput) writeFile(inputs.sarifOutput, renderRun(result, 'sarif'))
  const reportPath = path.join(process.env.RUNNER_TEMP || fs.mkdtempSync(path.join(os.tmpdir(), 'plangate-')), 'plangate-report.json')
  writeFile(reportPath, renderRun(result, 'json'))

  core.setOutput('status', result.status)
  core.setOutput('exit-code', String(result.exit_code))
  core.setOutput('critical-changes', String(result.critical_changes))
  core.setOutput('high-risk-changes', String(result.high_risk_changes))
  core.setOutput('total-changes', String(result.total_changes))
  core.setOutput('report-path', reportPath)
  core.setOutput('comment-url', commentUrl ?? '')

  if (result.exit_code === 3) {
    core.setFailed(`plangate cannot read every input: ${result.errors.map((e) => e.plan).join(', ')}`)
  } else if (result.exit_code !== 0) {
    core.setFailed(`plangate: the gate failed (exit ${result.exit_code}): ${result.reason}`)
  }
}
