'use strict'
// The hash of everything the native addon in dist/ is built from: the workspace manifests and lock
// file, the core's sources and the Node binding's. scripts/build-action records it beside the addon
// (dist/addon.sha256); a test recomputes it, so an addon older than its sources fails the run.

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.join(__dirname, '..', '..')
const INPUTS = ['Cargo.toml', 'Cargo.lock', 'core/Cargo.toml', 'core/src', 'bindings-node/Cargo.toml', 'bindings-node/build.rs', 'bindings-node/src']

function files(relative) {
  const full = path.join(ROOT, relative)
  if (!fs.statSync(full).isDirectory()) return [relative]
  return fs.readdirSync(full).flatMap((name) => files(path.posix.join(relative, name)))
}

function addonHash() {
  const hash = crypto.createHash('sha256')
  for (const file of INPUTS.flatMap(files).sort()) {
    hash.update(file).update('\0').update(fs.readFileSync(path.join(ROOT, file))).update('\0')
  }
  return hash.digest('hex')
}

module.exports = { addonHash }

if (require.main === module) process.stdout.write(`${addonHash()}\n`)
