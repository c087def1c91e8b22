// One sticky pull-request comment. It is found by a hidden marker on its first line, among the
// comments written by the account of the token, and updated in place on every run: never a second
// one. The marker carries a hash of the body, so `comment: on-change` leaves an unchanged report
// alone. Plan text in the body is escaped by the engine, so no resource name can forge the marker.
import { createHash } from 'node:crypto'

import * as core from '@actions/core'
import * as github from '@actions/github'

const MARKER = '<!-- plangate:sticky'
/** Seconds the calls to the GitHub API may take together before the comment is given up (with a
 * warning): a slow API must not hold the step, and its outputs, forever. */
const TIMEOUT = Number(process.env.PLANGATE_API_TIMEOUT || 30)
/** The account GitHub's workflow token writes as: it cannot ask who it is (GET /user is refused). */
const WORKFLOW_TOKEN_ACCOUNT = 'github-actions[bot]'

function marker(body) {
  return `${MARKER} sha256=${createHash('sha256').update(body).digest('hex')} -->`
}

async function whoAmI(octokit) {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return data.login
  } catch {
    return WORKFLOW_TOKEN_ACCOUNT
  }
}

/** Writes the comment; returns its URL, or `undefined` when there is none to write or it failed. */
export async function stickyComment({ token, mode, body }) {
  const { context } = github
  const pull = context.payload.pull_request
  if (mode === 'never' || !pull || !['pull_request', 'pull_request_target'].includes(context.eventName)) return undefined
  if (!token) {
    core.warning('plangate: no github-token, so no pull-request comment; the annotations and the job summary have the report')
    return undefined
  }
  // One deadline for every call, pages of the comment list included.
  const octokit = github.getOctokit(token, { request: { signal: AbortSignal.timeout(TIMEOUT * 1000) } })
  const where = { ...context.repo, issue_number: pull.number }
  const text = `${marker(body)}\n${body}`
  try {
    const login = await whoAmI(octokit)
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...where, per_page: 100 })
    const existing = comments.find((c) => c.user?.login === login && (c.body ?? '').startsWith(MARKER))
    if (existing) {
      if (mode === 'on-change' && (existing.body ?? '').split('\n', 1)[0] === marker(body)) {
        core.info('plangate: the pull-request comment already shows this report')
        return existing.html_url
      }
      const { data } = await octokit.rest.issues.updateComment({ ...context.repo, comment_id: existing.id, body: text })
      return data.html_url
    }
    const { data } = await octokit.rest.issues.createComment({ ...where, body: text })
    return data.html_url
  } catch (error) {
    const timedOut = /aborted/i.test(error.message) || ['TimeoutError', 'AbortError'].includes(error.cause?.name)
    const status = timedOut ? `no answer within ${TIMEOUT} s` : error.status ? `HTTP ${error.status}` : error.message
    const fork = error.status === 403 ? ' (a pull request from a fork gets a read-only token)' : ''
    core.warning(`plangate: cannot write the pull-request comment: ${status}${fork}; the annotations and the job summary have the report`)
    return undefined
  }
}
