// Types of plangate for Node.js: the JavaScript surface over the native addon (whose own,
// generated declarations `napi build` writes to native.d.ts). Reports are the CLI's JSON schema.

export type Severity = 'critical' | 'high' | 'notice'
export type Status = 'critical' | 'high_risk' | 'safe'
export type Category = 'resource_deletions' | 'security_groups' | 'iam' | 'database' | 'vpc' | 'kms' | 'other'
export type OutputFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'github'
export type ScanSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'unknown'

/** Where a finding's resource is declared (when `sourceDir` was given). */
export type Declared = { file: string; start_line: number; end_line: number } | { unmapped: string }

export interface Finding {
  address: string
  type: string
  actions: string[]
  severity: Severity
  rule: string
  category: Category
  message: string
  waived?: { reason: string; expires: string }
  location?: Declared
}

export interface DriftEntry {
  address: string
  type: string
  actions: string[]
  changed_attributes: string[]
  message: string
  flags?: Finding[]
}

export interface Report {
  schema_version: number
  total_changes: number
  high_risk_changes: number
  critical_changes: number
  status: Status
  verdict: { exit_code: number; passed: boolean; reason: string }
  /** From `checkPlan`, parsed when first read (most of a big plan's outcome). */
  findings: Finding[]
  /** From `checkPlan`, parsed when first read. */
  drift: DriftEntry[]
  /** `read_by` and `masked_providers` are there for a binary plan file only. */
  plan: {
    format_version: string | null
    terraform_version: string | null
    read_by?: 'native' | 'terraform'
    masked_providers?: string[]
  }
  policy: { source: string; critical_threshold: number; high_risk_allowance: number | null }
}

export interface CheckOptions {
  /** A configuration file. */
  config?: string
  /** Configuration YAML text, instead of a file. */
  configYaml?: string
  /** A preset: develop, staging or production. */
  env?: string
  failOnHighRisk?: boolean
  /** How binary plans are read: auto, native or terraform. */
  planReader?: 'auto' | 'native' | 'terraform'
  /** Schema tables beside the configuration's `schema_tables`. */
  schemaTables?: string[]
  /** The Terraform working directory: findings then carry `location`. */
  sourceDir?: string
  /** What file paths are relative to when `sourceDir` is in no git repository. */
  sourceRoot?: string
  /** How errors name the plan. */
  label?: string
}

export type Input = string | Buffer | { name: string; content: Buffer } | { name?: string; path: string }

export interface RunOptions extends Omit<CheckOptions, 'label'>, ScanOptions {
  /** Scanner reports to gate beside the plans. */
  reports?: Input[]
}

export interface Run {
  schema_version: number
  status: Status | 'error'
  exit_code: number
  total_changes: number
  high_risk_changes: number
  critical_changes: number
  /** One sentence: the verdict and why. */
  reason: string
  plans: { plan: string; report: Report }[]
  errors: { plan: string; message: string; code: string }[]
  scan: ScanResult | null
}

export interface ScanCounts {
  critical: number
  high: number
  medium: number
  low: number
  info: number
  unknown: number
}

export interface ScanFinding {
  rule: string
  title: string
  severity: ScanSeverity
  raw_severity: string | null
  source: string
  tool: string
  file: string
  location: string
  fingerprint: string
  suppressed?: string
}

export interface ScanResult {
  schema_version: number
  passed: boolean
  exit_code: number
  reasons: string[]
  score: number
  score_version: number
  counts: ScanCounts
  new_counts: ScanCounts
  duplicates_removed: number
  expired_suppressions: string[]
  reports: { file: string; format: string; findings: number; verdict: { passed: boolean; detail: string } | null; status: string }[]
  findings: ScanFinding[]
}

export interface ScanOptions {
  failOn?: 'critical' | 'high' | 'medium' | 'low'
  config?: string
  suppressions?: string
  baseline?: string
}

export interface RetryOptions {
  config?: string
  step?: string
  maxAttempts?: number
  initialDelay?: number
  maxDelay?: number
  backoffFactor?: number
  jitter?: 'none' | 'full' | 'equal' | 'decorrelated'
  maxTotalDelay?: number
  retryOn?: string[]
  seed?: number
  limit?: number
}

export interface Rule {
  id: string
  title: string
  severity: Severity
  category: Category
  doc: string
}

export type SourceLocation =
  | { address: string; file: string; startLine: number; endLine: number }
  | { address: string; unmapped: string }

/** An input plangate cannot read, parse or verify: never a verdict. */
export class PlangateError extends Error {
  /** PLAN_INVALID, CONFIG_INVALID, REPORT_INVALID, or INVALID_ARGUMENT. */
  code: string
  path: string | null
  line: number | null
  column: number | null
  jsonPath: string | null
  key: string | null
  expected: string | null
  found: string | null
  /** Every message, one per report that cannot be used. */
  errors: string[]
}

export function checkPlan(plan: string | Buffer, options?: CheckOptions): Promise<Report>
export function checkPlans(plans: Input[], options?: RunOptions): Promise<Run>
export function renderReport(
  report: Report,
  format: OutputFormat,
  options?: { label?: string; verbose?: boolean; maxBytes?: number },
): string
export function renderRun(run: Run, format: OutputFormat, options?: { verbose?: boolean; maxBytes?: number }): string
export interface CommentOptions {
  /** Where the request is. */
  provider: 'github' | 'gitlab' | 'azure-devops' | 'bitbucket'
  /** The token; without it, the provider's variable (GITHUB_TOKEN, GITLAB_TOKEN, SYSTEM_ACCESSTOKEN, BITBUCKET_TOKEN). */
  token?: string
  /** Reports with the same key share one comment (default: the plans' names). */
  key?: string
  behaviour?: 'update' | 'hide-and-new' | 'delete-and-new' | 'new'
  /** Write even when the comment already shows this report. */
  refresh?: boolean
  /** Seconds all calls may take together (default 60). */
  timeout?: number
}
export interface CommentOutcome {
  action: 'created' | 'updated' | 'unchanged' | 'not-written'
  url?: string | null
  /** Earlier comments of the key hidden or deleted. */
  superseded?: number
  warnings?: string[]
  notes?: string[]
  /** Why there is no request to comment on (a push, a branch pipeline). */
  nowhere?: string
}
export function postComment(run: Run, options: CommentOptions): Promise<CommentOutcome>
export function escapeMarkdown(text: string): string
export function scanReports(reports: (string | Buffer | { name: string; content: Buffer })[], options?: ScanOptions): Promise<ScanResult>
export function renderScan(result: ScanResult, format: OutputFormat): string
export function retrySchedule(options: RetryOptions): { delays: number[]; maxAttempts: number; complete: boolean }
export function classify(text: string, options: RetryOptions): { class: string; matched: string | null; retryable: boolean }
export function sourceLocations(dir: string, addresses: string[]): SourceLocation[]
export function rules(): Rule[]
export function explain(id: string): string
