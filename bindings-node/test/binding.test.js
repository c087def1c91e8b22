'use strict'
// The Node binding over the engine: the fixtures README's expectations, every error with its code
// and details, the options, scanner reports, retry, source locations, and work off the JS thread.

const { test, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const plangate = require('..')

const ROOT = path.join(__dirname, '..', '..')
const FIXTURES = path.join(ROOT, 'fixtures')
const plan = (name) => {
  const rules = path.join(FIXTURES, 'plans-rules', `${name}.plan.json`)
  return fs.existsSync(rules) ? rules : path.join(FIXTURES, 'plans', `${name}.plan.json`)
}
const report = (name) => path.join(FIXTURES, 'reports', name)

/** Temporary directories the tests make, removed once every test has run. */
const made = []
const tempDir = (prefix) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))
const EXPECTED = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expectations.json'), 'utf8'))
const RANK = { notice: 1, high: 2, critical: 3 }
const worst = (result, address) =>
  Math.max(0, ...result.findings.filter((f) => f.address === address).map((f) => RANK[f.severity]))

test('every fixture plan reads as the fixtures README says', async () => {
  for (const [name, expected] of Object.entries(EXPECTED.plans)) {
    const result = await plangate.checkPlan(plan(name))
    for (const address of expected.critical) assert.equal(worst(result, address), RANK.critical, `${name}: ${address}`)
    for (const address of expected.at_least_high) assert.ok(worst(result, address) >= RANK.high, `${name}: ${address}`)
    for (const address of expected.no_finding) assert.equal(worst(result, address), 0, `${name}: ${address}`)
    assert.ok(expected.status.includes(result.status), `${name}: ${result.status}`)
  }
})

test('the report is the CLI JSON schema, from a path or a Buffer', async () => {
  const fromPath = await plangate.checkPlan(plan('audit-system-prod'))
  assert.deepEqual([fromPath.total_changes, fromPath.high_risk_changes, fromPath.critical_changes], [7, 0, 3])
  assert.deepEqual(fromPath.verdict, { exit_code: 1, passed: false, reason: '3 critical changes (allowed: 0). Manual review required.' })
  const fromBuffer = await plangate.checkPlan(fs.readFileSync(plan('audit-system-prod')))
  assert.deepEqual(fromBuffer, fromPath)
  assert.deepEqual(fromPath.findings[0].actions, ['delete'])
  await assert.rejects(plangate.checkPlan(42), TypeError)
})

test('findings and drift are parsed when first read, and are then plain properties in their place', async () => {
  const result = await plangate.checkPlan(plan('iam'))
  const keys = ['schema_version', 'total_changes', 'high_risk_changes', 'critical_changes', 'status', 'verdict', 'findings', 'drift', 'plan', 'policy']
  assert.deepEqual(Object.keys(result), keys)
  assert.equal(typeof Object.getOwnPropertyDescriptor(result, 'findings').get, 'function')
  const findings = result.findings
  assert.equal(findings.length, 3)
  assert.equal(result.findings, findings, 'parsed once')
  assert.deepEqual(Object.getOwnPropertyDescriptor(result, 'findings'), { value: findings, writable: true, enumerable: true, configurable: true })
  assert.deepEqual(Object.keys(result), keys)
  // Every way of copying a report reads both lists.
  const copies = [JSON.parse(JSON.stringify(result)), structuredClone(result), { ...result }]
  for (const copy of copies) assert.deepEqual([copy.findings.length, copy.drift.length], [3, 2])
  const unread = await plangate.checkPlan(plan('iam'))
  unread.drift = []
  assert.deepEqual(unread.drift, [])
  assert.deepEqual(Object.keys(unread), keys)
  // A copy of the getters, read after the original, and a frozen report still see every finding.
  const original = await plangate.checkPlan(plan('iam'))
  const copy = Object.create(Object.getPrototypeOf(original), Object.getOwnPropertyDescriptors(original))
  assert.equal(original.findings.length, 3)
  assert.equal(copy.findings.length, 3)
  assert.equal(original.findings.length, 3)
  const frozen = Object.freeze(await plangate.checkPlan(plan('iam')))
  assert.deepEqual([frozen.findings.length, frozen.drift.length, frozen.findings.length], [3, 2, 3])
})

test('no output carries a sensitive value', async () => {
  const result = await plangate.checkPlan(plan('sensitive'))
  const shown = [JSON.stringify(result), ...['text', 'json', 'sarif', 'markdown', 'github'].map((f) => plangate.renderReport(result, f))]
  for (const secret of EXPECTED.sensitive_values) for (const text of shown) assert.ok(!text.includes(secret), secret)
})

test('a binary plan is read natively, without terraform, as its JSON twin', async () => {
  const env = process.env.TERRAFORM_BINARY
  process.env.TERRAFORM_BINARY = '/nonexistent/terraform'
  try {
    const binary = await plangate.checkPlan(path.join(FIXTURES, 'plans', 'sensitive.tfplan'))
    const fromJson = await plangate.checkPlan(plan('sensitive'))
    assert.equal(binary.plan.read_by, 'native')
    delete binary.plan.read_by
    assert.deepEqual(binary, fromJson)
    const masked = await plangate.checkPlan(path.join(FIXTURES, 'plans-public', 'trivy__with_var_opentofu.tfplan'))
    assert.deepEqual(masked.plan.masked_providers, ['registry.opentofu.org/hashicorp/aws 5.59.0'])
    assert.equal(masked.verdict.exit_code, 2)
  } finally {
    if (env === undefined) delete process.env.TERRAFORM_BINARY
    else process.env.TERRAFORM_BINARY = env
  }
})

test('errors are Errors with a code and the structured details', async () => {
  await assert.rejects(plangate.checkPlan(Buffer.from('{\n  "resource_changes": [\n    {"a": tru}\n  ]\n}')), (e) => {
    assert.ok(e instanceof Error && e instanceof plangate.PlangateError)
    assert.deepEqual([e.code, e.line, e.column, e.path], ['PLAN_INVALID', 3, 14, null])
    return true
  })
  await assert.rejects(plangate.checkPlan('/nonexistent/plan.json'), { code: 'PLAN_INVALID', path: '/nonexistent/plan.json' })
  const dir = tempDir('plangate-')
  const config = path.join(dir, 'gate.yaml')
  fs.writeFileSync(config, 'verbose: true\nthresholds:\n  critical_change: 0\n')
  await assert.rejects(plangate.checkPlan(plan('safe'), { config }), (e) => {
    assert.deepEqual([e.code, e.path, e.key, e.line], ['CONFIG_INVALID', config, 'thresholds.critical_change', 3])
    return true
  })
  await assert.rejects(plangate.checkPlan(plan('safe'), { env: 'qa' }), { code: 'CONFIG_INVALID', found: 'qa' })
  await assert.rejects(
    plangate.scanReports([report('codeql-action/invalid-sarif.sarif'), { name: 'empty.json', content: Buffer.from('') }]),
    (e) => {
      assert.deepEqual([e.code, e.jsonPath, e.expected, e.found], ['REPORT_INVALID', '$.runs[0].results', 'a list of results', 'the number 42'])
      assert.equal(e.errors.length, 2)
      return true
    },
  )
  assert.throws(() => plangate.renderReport({}, 'text'), { code: 'INVALID_ARGUMENT' })
  assert.throws(() => plangate.explain('PG-NOPE-1'), { code: 'INVALID_ARGUMENT' })
})

test('options: presets, failOnHighRisk, configYaml and sourceDir', async () => {
  const network = plan('network')
  assert.equal((await plangate.checkPlan(network)).verdict.exit_code, 2)
  assert.equal((await plangate.checkPlan(network, { env: 'staging' })).verdict.exit_code, 0)
  assert.equal((await plangate.checkPlan(network, { env: 'staging', failOnHighRisk: true })).verdict.exit_code, 2)
  const lenient = 'thresholds: {critical_changes: 10, high_risk_changes: unlimited}'
  assert.equal((await plangate.checkPlan(plan('critical-deletions'), { configYaml: lenient })).verdict.exit_code, 0)
  const dir = tempDir('plangate-src-')
  fs.copyFileSync(path.join(FIXTURES, 'scenarios', 'exposure', '2.tf'), path.join(dir, 'main.tf'))
  const located = await plangate.checkPlan(plan('exposure'), { sourceDir: dir })
  const acl = located.findings.find((f) => f.address === 'aws_network_acl_rule.rdp')
  assert.equal(acl.location.file, 'main.tf')
  assert.ok(acl.location.start_line > 0 && acl.location.end_line >= acl.location.start_line)
})

test('renders every format as the CLI does', async () => {
  const cli = path.join(ROOT, 'target', 'debug', 'plangate')
  const result = await plangate.checkPlan(plan('security-groups'))
  for (const format of ['text', 'json', 'sarif', 'markdown', 'github']) {
    const rendered = plangate.renderReport(result, format, { label: plan('security-groups') })
    if (fs.existsSync(cli)) {
      let printed
      try {
        printed = execFileSync(cli, ['check', '-f', format, plan('security-groups')]).toString()
      } catch (e) {
        printed = e.stdout.toString()
      }
      assert.equal(rendered, printed, format)
    } else {
      assert.ok(rendered.length > 0, format)
    }
  }
})

test('scanner reports from paths, Buffers and named contents', async () => {
  const trivy = report('defectdojo/trivy__misconfigurations_and_secrets.json')
  const result = await plangate.scanReports([trivy, report('defectdojo/kics__many_findings.json')])
  assert.deepEqual([result.passed, result.exit_code, result.counts.critical, result.score], [false, 1, 2, 0])
  const named = await plangate.scanReports([{ name: 'trivy.json', content: fs.readFileSync(trivy) }])
  assert.equal(named.reports[0].file, 'trivy.json')
  const wiz = report('defectdojo/wizcli_iac__wizcli_iac_one_vul.json')
  assert.equal((await plangate.scanReports([wiz])).exit_code, 0)
  assert.equal((await plangate.scanReports([wiz], { failOn: 'high' })).exit_code, 1)
  assert.match(plangate.renderScan(result, 'markdown'), /plangate scan: failed/)
})

test('retry schedules, classification, rules and source locations', () => {
  const schedule = plangate.retrySchedule({ maxAttempts: 3, initialDelay: 10, maxDelay: 60, jitter: 'none' })
  assert.deepEqual(schedule, { delays: [10, 20], maxAttempts: 3, complete: true })
  const huge = plangate.retrySchedule({ maxAttempts: 4000000000, jitter: 'decorrelated', seed: 7, limit: 50 })
  assert.equal(huge.delays.length, 50)
  assert.equal(huge.complete, false)
  assert.throws(() => plangate.retrySchedule({ maxAttempts: 0 }), { code: 'INVALID_ARGUMENT' })
  const verdict = plangate.classify('│ Error: timeout while waiting', { retryOn: ['Error: timeout'] })
  assert.deepEqual(verdict, { class: 'timeout', matched: 'Error: timeout', retryable: true })
  assert.equal(plangate.classify('Error: invalid value', { retryOn: ['Error: timeout'] }).retryable, false)
  const rules = plangate.rules()
  assert.ok(rules.length >= 33 && rules[0].id === 'PG-DEL-001')
  assert.match(plangate.explain('pg-del-003'), /^PG-DEL-003 — /)
  const modules = path.join(FIXTURES, 'scenarios', 'modules')
  const dir = tempDir('plangate-mod-')
  fs.copyFileSync(path.join(modules, '2.tf'), path.join(dir, 'main.tf'))
  fs.cpSync(path.join(modules, 'modules'), path.join(dir, 'modules'), { recursive: true })
  const [shard, missing] = plangate.sourceLocations(dir, ['module.storage.aws_dynamodb_table.shard[2]', 'aws_s3_bucket.nope'])
  assert.equal(shard.file, 'modules/storage/main.tf')
  assert.match(missing.unmapped, /no \.tf file of \. declares/)
})

test('a check runs off the JavaScript thread', async () => {
  // The plan comes through a FIFO that only this thread writes: were the check to block the event
  // loop while it reads, the write below could never happen and the check never finish.
  const dir = tempDir('plangate-fifo-')
  const fifo = path.join(dir, 'plan.fifo')
  execFileSync('mkfifo', [fifo])
  const checking = plangate.checkPlan(fifo)
  await fs.promises.writeFile(fifo, fs.readFileSync(plan('kms')))
  assert.equal((await checking).verdict.exit_code, 1)
})

test('the typings cover the API: typed code using every export passes tsc --strict', () => {
  const tsc = path.join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc')
  const usage = fs.readFileSync(path.join(__dirname, 'typed.ts'), 'utf8')
  for (const name of Object.keys(plangate)) assert.ok(usage.includes(name), `typed.ts does not use ${name}`)
  execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json')], { stdio: 'pipe' })
})

test('numbers are taken as JavaScript holds them: out of range is an error, never wrapped', () => {
  // Before: maxAttempts -1 became 4294967295, and limit -1 grew memory until the process aborted.
  for (const options of [{ maxAttempts: -1 }, { maxAttempts: 1.5 }, { maxAttempts: 2 ** 32 }, { limit: -1 }, { limit: 1e9 }, { seed: -1 }, { seed: 0.5 }]) {
    assert.throws(() => plangate.retrySchedule({ jitter: 'none', ...options }), { code: 'INVALID_ARGUMENT' }, JSON.stringify(options))
  }
  assert.equal(plangate.retrySchedule({ maxAttempts: 3, limit: 10000 }).delays.length, 2)
})

test('several plans together: the worst verdict wins, an unreadable plan does not stop the others', async () => {
  const run = await plangate.checkPlans([plan('network'), plan('destroy'), '/nonexistent/plan.json'], { env: 'staging' })
  assert.equal(run.exit_code, 3)
  assert.equal(run.status, 'error')
  assert.deepEqual(run.plans.map((p) => p.report.verdict.exit_code), [0, 1])
  assert.equal(run.errors[0].code, 'PLAN_INVALID')
  const annotations = plangate.renderRun(run, 'github')
  assert.match(annotations, /^::error title=plangate cannot read \/nonexistent\/plan.json::/m)
  const markdown = plangate.renderRun(run, 'markdown', { maxBytes: 4000 })
  assert.ok(Buffer.byteLength(markdown) <= 4000, `${Buffer.byteLength(markdown)} bytes`)
  const ok = await plangate.checkPlans([plan('network'), plan('destroy')], { env: 'staging' })
  assert.equal(ok.exit_code, 1, 'critical beats high-risk')
})

test('a binary plan with a sensitive path without end is an error, not a crash of the host', async () => {
  // 50,000 steps overflowed the stack: SIGSEGV in the Node process itself. The plan is made by the
  // Python suite's helpers (zip and protobuf by hand).
  const { execFileSync } = require('node:child_process')
  const script = path.join(__dirname, '..', '..', 'bindings-python', 'tests', 'plan_files.py')
  const made = execFileSync('python3', [script, 'deep-path', '50000'], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } })
  await assert.rejects(plangate.checkPlan(made, { planReader: 'native' }), (e) => e.code === 'PLAN_INVALID' && /a sensitive path of 50000 steps/.test(e.message))
})

test('postComment: the engine decides; a pipeline without a request writes nothing, a wrong provider is an error', async () => {
  const run = await plangate.checkPlans([plan('kms')])
  delete process.env.CI_MERGE_REQUEST_IID
  const outcome = await plangate.postComment(run, { provider: 'gitlab' })
  assert.equal(outcome.action, 'not-written')
  assert.match(outcome.nowhere, /not a merge-request pipeline/)
  await assert.rejects(plangate.postComment(run, { provider: 'gitea' }), { code: 'INVALID_ARGUMENT', message: /expected github, gitlab, azure-devops or bitbucket/ })
  await assert.rejects(plangate.postComment(run, { provider: 'gitlab', behaviour: 'sometimes' }), { code: 'INVALID_ARGUMENT' })
})
