// Translates the OneStop neutral rules and enterprises into CLIPS (Rete): one template `ent`,
// one defrule per item (a pattern binding the facts it reads, and a test with policy::Evaluate's
// semantics: a missing fact (nil) or one of another type is false), a counter per item.
//   node to_clips.js POLICIES.json ENTERPRISES.jsonl LIMIT OUTDIR
// Writes OUTDIR/rules.clp, OUTDIR/facts.clp and OUTDIR/run.clp; `clips -f2 OUTDIR/run.clp`
// prints "<id> <count>" per item and a "timing … match_ms=…" line (load-facts + run: Rete
// matches while facts are asserted).
'use strict';
const fs = require('fs');
const path = require('path');

const [policiesPath, enterprisesPath, limitText, outDir] = process.argv.slice(2);
const limit = Number(limitText);
const policies = JSON.parse(fs.readFileSync(policiesPath, 'utf8'));
const enterprises = [];
for (const line of fs.readFileSync(enterprisesPath, 'utf8').split('\n')) {
  if (enterprises.length >= limit) break;
  if (line.trim() !== '') enterprises.push(JSON.parse(line));
}

// Numbers are all floats on both sides, so that CLIPS's eq compares them by value.
function atom(v) {
  if (typeof v === 'number') {
    const s = String(v);
    return /[.eE]/.test(s) ? s : s + '.0';
  }
  if (typeof v === 'string') return JSON.stringify(v);
  return v ? 'true' : 'false';
}
const slots = new Set();
const variable = (fact) => `?f_${fact}`;

function test(c) {
  if (c.all) return c.all.length === 0 ? 'TRUE' : `(and ${c.all.map(test).join(' ')})`;
  if (c.any) return c.any.length === 0 ? 'FALSE' : `(or ${c.any.map(test).join(' ')})`;
  if (c.not) return `(not ${test(c.not)})`;
  slots.add(c.fact);
  const x = variable(c.fact);
  const v = c.value;
  switch (c.op) {
    case '==':
      return `(os-eq ${x} ${atom(v)})`;
    case '!=':
      return `(os-ne ${x} ${atom(v)})`;
    case '<': case '<=': case '>': case '>=':
      return typeof v === 'number' ? `(and (floatp ${x}) (${c.op} ${x} ${atom(v)}))` : 'FALSE';
    case 'in':
      return v.length === 0 ? 'FALSE' : `(or ${v.map((e) => `(os-eq ${x} ${atom(e)})`).join(' ')})`;
    case 'prefix':
      if (typeof v !== 'string') return 'FALSE';
      return v === '' ? `(stringp ${x})` : `(and (stringp ${x}) (eq (str-index ${atom(v)} ${x}) 1))`;
    case 'between':
      if (typeof v[0] !== 'number' || typeof v[1] !== 'number') return 'FALSE';
      return `(and (floatp ${x}) (<= ${atom(v[0])} ${x}) (<= ${x} ${atom(v[1])}))`;
  }
  throw new Error(`unknown op ${c.op}`);
}

const rules = [];
policies.forEach((p, i) => {
  const before = new Set(slots);
  slots.clear();
  const t = test(p.cond);
  const read = [...slots];
  for (const s of before) slots.add(s);
  const pattern = read.map((f) => `(${f} ${variable(f)})`).join(' ');
  rules.push(`(defglobal ?*c${i}* = 0)\n(defrule item${i} (ent ${pattern}) (test ${t}) => ` +
             `(bind ?*c${i}* (+ ?*c${i}* 1)))`);
});
for (const e of enterprises) for (const k of Object.keys(e)) if (k !== 'id') slots.add(k);

const header = [
  `(deftemplate ent (slot id) ${[...slots].map((s) => `(slot ${s} (default nil))`).join(' ')})`,
  '(deffunction os-eq (?x ?c) (and (neq ?x nil) (eq (type ?x) (type ?c)) (eq ?x ?c)))',
  '(deffunction os-ne (?x ?c) (and (neq ?x nil) (eq (type ?x) (type ?c)) (neq ?x ?c)))',
];
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'rules.clp'), header.concat(rules).join('\n') + '\n');
fs.writeFileSync(path.join(outDir, 'facts.clp'), enterprises.map((e) =>
  `(ent (id ${JSON.stringify(e.id)})` +
  Object.entries(e).filter(([k, v]) => k !== 'id' && v !== null).map(([k, v]) => ` (${k} ${atom(v)})`).join('') +
  ')').join('\n') + '\n');
const abs = (f) => JSON.stringify(path.resolve(outDir, f));
fs.writeFileSync(path.join(outDir, 'run.clp'), [
  `(load ${abs('rules.clp')})`,
  '(reset)',
  '(defglobal ?*t0* = (time))',
  `(load-facts ${abs('facts.clp')})`,
  '(run)',
  `(printout t "timing items=${policies.length} enterprises=${enterprises.length} match_ms=" ` +
    '(* 1000 (- (time) ?*t0*)) " threads=1" crlf)',
  ...policies.map((p, i) => `(printout t "${p.id} " ?*c${i}* crlf)`),
  '(exit)',
].join('\n') + '\n');
