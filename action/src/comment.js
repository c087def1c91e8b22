// The sticky pull-request comment, written by the engine (the addon's `postComment`): it finds the
// comment of this key among the token account's own comments, edits it in place (or hides or
// deletes it and writes anew) and never touches anyone else's. This file only passes the inputs
// and logs what happened; a comment that cannot be written is a warning, never the step's failure.
import * as core from '@actions/core'

import { postComment } from '../../bindings-node/index.js'

/** Seconds the calls to the GitHub API may take together before the comment is given up. */
const TIMEOUT = Number(process.env.PLANGATE_API_TIMEOUT || 30)

/** The `comment` input as the engine's behaviour: the first three are the Action's first names. */
const BEHAVIOURS = {
  'on-change': { behaviour: 'update', refresh: false },
  always: { behaviour: 'update', refresh: true },
  update: { behaviour: 'update', refresh: false },
  'hide-and-new': { behaviour: 'hide-and-new', refresh: false },
  'delete-and-new': { behaviour: 'delete-and-new', refresh: false },
  new: { behaviour: 'new', refresh: false },
}
export const COMMENT_MODES = ['never', ...Object.keys(BEHAVIOURS)]

/** Writes the comment; returns its URL, or `undefined` when there is none. */
export async function stickyComment({ run, token, mode, key }) {
  if (mode === 'never') return undefined
  if (!token) {
    core.warning('plangate: no github-token, so no pull-request comment; the annotations and the job summary have the report')
    return undefined
  }
  let outcome
  try {
    outcome = await postComment(run, { provider: 'github', token, key, timeout: TIMEOUT, ...BEHAVIOURS[mode] })
  } catch (error) {
    core.warning(`plangate: no pull-request comment: ${error.message}`)
    return undefined
  }
  if (outcome.nowhere) return undefined
  for (const note of outcome.notes ?? []) core.info(`plangate: ${note}`)
  for (const warning of outcome.warnings ?? []) core.warning(`plangate: ${warning}`)
  return outcome.url ?? undefined
}
