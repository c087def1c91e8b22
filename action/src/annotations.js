// Workflow-command annotations for every plan and scanner report of the run, on the .tf lines that
// declare the resources when the sources were read, within GitHub's limits: 10 errors and 10
// warnings per step; the rest are counted in one notice. The toolkit escapes every value.
import * as core from '@actions/core'

export const MAX_PER_KIND = 10

/** Critical findings become errors, high-risk ones warnings; waived ones are not annotated. */
export function annotate(plans, scan) {
  const errors = []
  const warnings = []
  for (const { label, report } of plans) {
    for (const finding of report.findings) {
      if (finding.waived) continue
      const target = finding.severity === 'critical' ? errors : finding.severity === 'high' ? warnings : null
      if (!target) continue
      const at = finding.location && 'file' in finding.location ? finding.location : null
      target.push({
        message: finding.message,
        properties: {
          title: `${finding.rule} ${finding.address}`,
          file: at ? at.file : label,
          startLine: at ? at.start_line : undefined,
          endLine: at ? at.end_line : undefined,
        },
      })
    }
  }
  for (const finding of scan ? scan.findings : []) {
    if (finding.suppressed || !['critical', 'high'].includes(finding.severity)) continue
    errors.push({ message: finding.title, properties: { title: `${finding.severity} ${finding.rule} (${finding.source})`, file: finding.file } })
  }
  errors.slice(0, MAX_PER_KIND).forEach((a) => core.error(a.message, a.properties))
  warnings.slice(0, MAX_PER_KIND).forEach((a) => core.warning(a.message, a.properties))
  return Math.max(0, errors.length - MAX_PER_KIND) + Math.max(0, warnings.length - MAX_PER_KIND)
}
