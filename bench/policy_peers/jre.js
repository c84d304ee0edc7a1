// json-rules-engine on the OneStop neutral rules: one Engine with every item as a rule, run once
// per enterprise. Operators are custom ones with policy::Evaluate's semantics (a missing fact or
// one of another type is false; `not` of it true), so the counts must equal the reference.
//   node jre.js POLICIES.json ENTERPRISES.jsonl [LIMIT]
// Prints "<id> <count>" per item (over the first LIMIT enterprises) and the time on stderr.
'use strict';
const fs = require('fs');
const { Engine, Rule } = require('json-rules-engine');

const [policiesPath, enterprisesPath, limitText] = process.argv.slice(2);
const limit = limitText ? Number(limitText) : Infinity;
const policies = JSON.parse(fs.readFileSync(policiesPath, 'utf8'));
const enterprises = [];
for (const line of fs.readFileSync(enterprisesPath, 'utf8').split('\n')) {
  if (enterprises.length >= limit) break;
  if (line.trim() !== '') enterprises.push(JSON.parse(line));
}

const isNum = (x) => typeof x === 'number';
const same = (a, b) => a !== undefined && a !== null && typeof a === typeof b && a === b;
const ops = {
  '==': ['os_eq', (a, b) => same(a, b)],
  '!=': ['os_ne', (a, b) => a !== undefined && a !== null && typeof a === typeof b && a !== b],
  '<': ['os_lt', (a, b) => isNum(a) && isNum(b) && a < b],
  '<=': ['os_le', (a, b) => isNum(a) && isNum(b) && a <= b],
  '>': ['os_gt', (a, b) => isNum(a) && isNum(b) && a > b],
  '>=': ['os_ge', (a, b) => isNum(a) && isNum(b) && a >= b],
  in: ['os_in', (a, b) => Array.isArray(b) && b.some((x) => same(a, x))],
  prefix: ['os_prefix', (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b)],
  between: ['os_between', (a, b) => isNum(a) && b.length === 2 && isNum(b[0]) && isNum(b[1]) &&
                                    b[0] <= a && a <= b[1]],
};

function translate(c) {
  if (c.all) return { all: c.all.map(translate) };
  if (c.any) return { any: c.any.map(translate) };
  if (c.not) return { not: translate(c.not) };
  return { fact: c.fact, operator: ops[c.op][0], value: c.value };
}

const engine = new Engine([], { allowUndefinedFacts: true });
for (const [name, fn] of Object.values(ops)) engine.addOperator(name, fn);
for (const p of policies) {
  engine.addRule(new Rule({ conditions: { all: [translate(p.cond)] }, event: { type: p.id } }));
}

(async () => {
  const counts = new Map(policies.map((p) => [p.id, 0]));
  const start = process.hrtime.bigint();
  for (const e of enterprises) {
    const { events } = await engine.run(e);
    for (const ev of events) counts.set(ev.type, counts.get(ev.type) + 1);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(policies.map((p) => `${p.id} ${counts.get(p.id)}\n`).join(''));
  process.stderr.write(`timing items=${policies.length} enterprises=${enterprises.length} ` +
                       `match_ms=${ms.toFixed(3)} threads=1\n`);
})();
