// The Markdown of a run: every plan's report (rendered by the engine) and the scan result, under
// one heading, held to a size limit: GitHub's 65,536 characters for a comment, 1 MiB for the job
// summary. When the whole does not fit, each plan's report is rendered again with a smaller budget,
// and the engine cuts its lower-risk sections first and says what it left out.
import { escapeMarkdown, renderReport, renderScan } from '../../bindings-node/index.js'

const ICONS = { critical: '🔴', high_risk: '🟠', safe: '🟢', error: '⚠️' }

/** The run's Markdown, at most `limit` characters. */
export function runMarkdown(run, limit) {
  const sections = () => {
    const parts = []
    if (run.plans.length + run.errors.length > 1 || run.scan) {
      const verdict = run.exitCode === 0 ? 'passed' : 'failed'
      parts.push(`## ${ICONS[run.status] ?? ''} plangate: ${run.status} (${verdict}, exit ${run.exitCode})\n`)
    }
    for (const { plan, message } of run.errors) {
      parts.push(`### ${ICONS.error} ${escapeMarkdown(plan)} cannot be read\n\n${escapeMarkdown(message)}\n`)
    }
    return parts
  }
  const scan = run.scan ? renderScan(run.scan, 'markdown') : ''
  const fixed = sections().join('\n') + scan
  const render = (budget) =>
    run.plans.map(({ label, report }) => {
      const heading = run.plans.length > 1 ? `### ${escapeMarkdown(label)}\n\n` : ''
      return heading + renderReport(report, 'markdown', { label, maxChars: budget })
    })
  let plans = render(60000)
  const room = limit - fixed.length - 200
  if (plans.join('\n').length > room) {
    const budget = Math.max(2000, Math.floor(room / Math.max(1, run.plans.length)) - 200)
    plans = render(budget)
    plans.push(
      `\n> **Shortened:** the reports were cut to fit GitHub's limit of ${limit} characters, lower-risk sections first. The job summary and the JSON report (\`report-path\`) have every finding.\n`,
    )
  }
  const text = [...sections(), ...plans, scan].filter(Boolean).join('\n')
  return text.length <= limit ? text : `${text.slice(0, limit - 120)}\n\n> **Shortened** to GitHub's limit of ${limit} characters.\n`
}
