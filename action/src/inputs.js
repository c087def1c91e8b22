// The Action's inputs, read and checked: a wrong value is an error naming the input, never a
// default that passes. Every line of `plan` and `reports` must name something: a path that does
// not resolve (a missing file, a dangling link) or a glob that matches nothing is an error naming
// the line, and so is a match that is not a regular file (a FIFO would block the step forever).
import * as fs from 'node:fs'
import * as path from 'node:path'

import * as core from '@actions/core'
import * as glob from '@actions/glob'

import { COMMENT_MODES } from './comment.js'


const GLOB_CHARACTERS = /[*?[\]{}]/

/** The regular files a line names: itself, or what its glob matches. */
async function matches(name, line) {
  const pattern = path.resolve(line)
  if (!GLOB_CHARACTERS.test(line)) {
    let stat
    try {
      stat = fs.statSync(pattern) // follows links: a dangling one fails here
    } catch (error) {
      throw new Error(`input ${name}: ${JSON.stringify(line)} cannot be read (${error.code ?? error.message})`)
    }
    if (!stat.isFile()) throw new Error(`input ${name}: ${JSON.stringify(line)} is not a regular file`)
    return [pattern]
  }
  // Resolved first: the toolkit's globs refuse `..`, and a working directory may sit beside the plan.
  const globber = await glob.create(pattern, { matchDirectories: false })
  const found = (await globber.glob()).sort()
  if (found.length === 0) throw new Error(`input ${name}: nothing matches ${JSON.stringify(line)}`)
  for (const file of found) {
    if (!fs.statSync(file).isFile()) throw new Error(`input ${name}: ${JSON.stringify(line)} matches ${file}, which is not a regular file`)
  }
  return found
}

/** Files named by the lines of a multi-line input, each once, in the order of the lines. */
async function files(name) {
  const lines = core.getMultilineInput(name).map((l) => l.trim()).filter((l) => l !== '')
  const all = []
  for (const line of lines) {
    for (const file of await matches(name, line)) if (!all.includes(file)) all.push(file)
  }
  return all
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
    commentKey: core.getInput('comment-key') || undefined,
    token: core.getInput('github-token'),
    reports: await files('reports'),
    sarifOutput: core.getInput('sarif-output') || undefined,
  }
}
