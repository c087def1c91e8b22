// The Action's entry point: on a runner the native addon does not cover it fails at once, saying
// what the runner is and what is supported; anywhere else it runs the gate.
import * as core from '@actions/core'

if (process.platform !== 'linux' || process.arch !== 'x64') {
  core.setFailed(
    `plangate runs on Linux x64 runners (glibc 2.17 or later); this runner is ${process.platform} ${process.arch}. ` +
      'Use a GitHub-hosted ubuntu runner, or the plangate CLI or Python package on this one.',
  )
} else {
  import('./run.js')
    .then(({ run }) => run())
    .catch((error) => core.setFailed(`plangate: ${error.message}`))
}
