// The Action's inputs, read and checked: a wrong value is an error naming the input, never a
// default that passes.
import * as path from 'node:path'

import * as core from '@actions/core'
import * as glob from '@actions/glob'

export const COMMENT_MODES = ['always', 'on-change', 'never']

/** Files matching the patterns of a multi-line input (globs or plain paths), in a stable order. */
async function files(name) {
  const patterns = core.getMultilineInput(name).filter((line) => line.trim() !== '')
  if (patterns.length === 0) return []
  // Resolved first: the toolkit's globs refuse `..`, and a working directory may sit beside the plan.
  const absolute = patterns.map((p) => (p.startsWith('!') ? `!${path.resolve(p.slice(1))}` : path.resolve(p)))
  const globber = await glob.create(absolute.join('\n'), { matchDirectories: false })
  const found = (await globber.glob()).sort()
  if (found.length === 0) throw new Error(`input ${name}: nothing matches ${patterns.join(', ')}`)
  return found
}

export async function readInputs() {
  const comment = core.getInput('comment') || 'on-change'
  if (!COMMENT_MODES.includes(comment)) {
    throw new Error(`input comment: expected ${COMMENT_MODES.join(', ')}, found ${JSON.stringify(comment)}`)
  }
  const failOnHighRisk = core.getInput('fail-on-high-risk') || 'false'
  if (!['true', 'false'].includes(failOnHighRisk)) {
    throw new Error(`input fail-on-high-risk: expected true or false, found ${JSON.stringify(failOnHighRisk)}`)
  }
  const plans = await files('plan')
  if (plans.length === 0) throw new Error('input plan is required: the path (or glob) of the plan to check')
  return {
    plans,
    config: core.getInput('config') || undefined,
    environment: core.getInput('environment') || undefined,
    failOnHighRisk: failOnHighRisk === 'true',
    workingDirectory: core.getInput('working-directory') || undefined,
    comment,
    token: core.getInput('github-token'),
    reports: await files('reports'),
    sarifOutput: core.getInput('sarif-output') || undefined,
  }
}
