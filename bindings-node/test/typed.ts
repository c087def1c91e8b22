// Typed code using every export of the binding; `tsc --strict` must accept it as it is.
import * as fs from 'node:fs'
import {
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
  type Finding,
  type Report,
  type Run,
  type ScanResult,
} from '..'

async function gate(path: string): Promise<number> {
  const report: Report = await checkPlan(path, { env: 'production', failOnHighRisk: true, sourceDir: '.' })
  const again: Report = await checkPlan(fs.readFileSync(path), { configYaml: 'verbose: true' })
  const critical: Finding[] = report.findings.filter((f) => f.severity === 'critical')
  const lines = critical.map((f) => (f.location && 'file' in f.location ? `${f.location.file}:${f.location.start_line}` : f.address))
  const text: string = renderReport(again, 'markdown', { label: path, maxBytes: 20000 }) + escapeMarkdown('<b>@x</b>')
  const scan: ScanResult = await scanReports(['trivy.json', { name: 'x.json', content: Buffer.from('null') }], { failOn: 'high' })
  const sarif: string = renderScan(scan, 'sarif')
  const delays: number[] = retrySchedule({ maxAttempts: 3, jitter: 'none' }).delays
  const retryable: boolean = classify('Error: timeout', { retryOn: ['Error: timeout'] }).retryable
  const ids: string[] = rules().map((r) => `${r.id} ${r.severity}`)
  const located = sourceLocations('.', ['aws_s3_bucket.a']).map((l) => ('file' in l ? l.startLine : l.unmapped))
  const run: Run = await checkPlans([path, { name: 'again', content: fs.readFileSync(path) }], { env: 'staging', reports: ['trivy.json'], failOn: 'high' })
  const summary: string = renderRun(run, 'markdown', { maxBytes: 1 << 20 }) + renderRun(run, 'github')
  const worst: number = run.exit_code + run.plans.length + run.errors.length
  const posted = await postComment(run, { provider: 'gitlab', key: 'production', behaviour: 'hide-and-new', refresh: true, timeout: 30 })
  const url: string | null | undefined = posted.url
  const warned: number = (posted.warnings ?? []).length + (posted.nowhere ? 1 : 0)
  console.log(lines, text, sarif, delays, retryable, ids, located, explain('PG-DEL-001'), scan.counts.critical, summary, worst, url, warned)
  return report.verdict.exit_code
}

gate('plan.json').catch((e: unknown) => {
  if (e instanceof PlangateError) console.error(e.code, e.path, e.line, e.column, e.jsonPath, e.key, e.expected, e.found, e.errors)
})
