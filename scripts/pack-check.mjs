/**
 * `npm run pack:check`: builds, then asks npm what the tarball would hold (`npm pack --dry-run`)
 * and fails unless it is exactly: package.json, README.md, LICENSE, CHANGELOG.md, and dist/
 * JavaScript and declaration files — including every file package.json's `main`, `types` and
 * `exports` point at. No tests, examples, scripts or sources.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

execFileSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
// --ignore-scripts: the build just ran; prepack would print its log into the JSON.
const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))
const files = pack.files.map((f) => f.path).sort()

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const targets = new Set([pkg.main, pkg.types])
const collect = (value) => {
  if (typeof value === 'string') targets.add(value)
  else if (value && typeof value === 'object') Object.values(value).forEach(collect)
}
collect(pkg.exports)
const required = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', ...[...targets].map((t) => t.replace(/^\.\//, ''))])

const allowed = (path) => required.has(path) || /^dist\/[^/]+\.(js|d\.ts)$/.test(path)
const extra = files.filter((f) => !allowed(f))
const missing = [...required].filter((f) => !files.includes(f))

console.log(`${pack.filename}: ${files.length} files, ${(pack.size / 1024).toFixed(1)} KB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KB unpacked`)
for (const f of files) console.log(`  ${f}`)
if (extra.length) console.error(`Not allowed in the tarball:\n  ${extra.join('\n  ')}`)
if (missing.length) console.error(`Missing from the tarball:\n  ${missing.join('\n  ')}`)
if (extra.length || missing.length) process.exit(1)
console.log('pack:check ok')
