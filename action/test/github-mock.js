'use strict'
// A local stand-in for the GitHub REST API endpoints the Action calls: who am I, list, create and
// update issue comments. It records every request; `forbid` answers 403 to the comment endpoints,
// as GitHub does for the read-only token of a pull request from a fork; `delay` answers late.

const http = require('node:http')

function startGitHub({ forbid = false, login = null, delay = 0 } = {}) {
  const comments = []
  const requests = []
  let nextId = 1000
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => setTimeout(answer, delay))
    const answer = () => {
      const url = new URL(req.url, 'http://localhost')
      requests.push({ method: req.method, path: url.pathname, body: body ? JSON.parse(body) : null })
      const send = (status, data) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(data))
      }
      if (req.method === 'GET' && url.pathname === '/user') {
        return login ? send(200, { login }) : send(403, { message: 'Resource not accessible by integration' })
      }
      let match = url.pathname.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/)
      if (match) {
        if (forbid) return send(403, { message: 'Resource not accessible by integration' })
        if (req.method === 'GET') return send(200, comments)
        if (req.method === 'POST') {
          const id = nextId++
          const comment = {
            id,
            body: JSON.parse(body).body,
            user: { login: login ?? 'github-actions[bot]', type: 'Bot' },
            html_url: `https://github.com/${match[1]}/${match[2]}/pull/${match[3]}#issuecomment-${id}`,
          }
          comments.push(comment)
          return send(201, comment)
        }
      }
      match = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/)
      if (match && req.method === 'PATCH') {
        if (forbid) return send(403, { message: 'Resource not accessible by integration' })
        const comment = comments.find((c) => c.id === Number(match[1]))
        if (!comment) return send(404, { message: 'Not Found' })
        comment.body = JSON.parse(body).body
        return send(200, comment)
      }
      send(404, { message: `the mock has no ${req.method} ${url.pathname}` })
    }
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`
      resolve({ url, comments, requests, close: () => new Promise((done) => server.close(done)) })
    })
  })
}

module.exports = { startGitHub }
