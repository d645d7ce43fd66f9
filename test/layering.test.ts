// DESIGN.md's import rules, checked rather than remembered: lower layers never import higher ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs from test/ under tsx or from dist/test/ once compiled; both sit below the repository root.
const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(here, here.includes(`${'/'}dist${'/'}`) ? '../../src' : '../src');

/** What each top-level folder of src/ may import (besides itself). */
const allowed: Record<string, string[]> = {
  // DESIGN.md says api and machinery import nothing of the project; api does use machinery's
  // field errors, quantities and schema builders, and machinery stays free of both.
  api: ['machinery'],
  machinery: [],
  store: ['api', 'machinery'],
  apiserver: ['api', 'machinery', 'store'],
  client: ['api', 'machinery'],
  controllers: ['api', 'machinery', 'client'],
  scheduler: ['api', 'machinery', 'client'],
  kubelet: ['api', 'machinery', 'client'],
  proxy: ['api', 'machinery', 'client'],
  dns: ['api', 'machinery', 'client'],
  ingress: ['api', 'machinery', 'client'],
  cli: ['*'],
};

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

test('imports point down only (DESIGN.md layering)', () => {
  const violations: string[] = [];
  for (const file of files(src)) {
    const layer = relative(src, file).split(/[\\/]/)[0];
    const rules = allowed[layer];
    if (!rules) {
      violations.push(`${relative(src, file)}: folder src/${layer} is not in DESIGN.md's layout`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      const target = relative(src, resolve(dirname(file), spec)).split(/[\\/]/)[0];
      if (target === layer || target.startsWith('..')) continue;
      if (rules.includes('*') || rules.includes(target)) continue;
      violations.push(`${relative(src, file)} imports src/${target} (${spec})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the layering check sees the source tree', () => {
  assert.ok([...files(src)].length > 5, `no sources found under ${src}`);
});
