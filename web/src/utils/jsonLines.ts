// Where each value of a JSON text starts: "materials[0].need" → its line (1-based), so that the
// server's field errors (JSON paths) can be shown at their line in the editor. A small tolerant
// scanner; text that does not parse yields what was found before the problem.

export function jsonPathLines(text: string): Map<string, number> {
  const out = new Map<string, number>()
  let i = 0
  let line = 1
  const n = text.length

  function ws() {
    while (i < n) {
      const ch = text[i]
      if (ch === '\n') line++
      else if (ch !== ' ' && ch !== '\t' && ch !== '\r') break
      i++
    }
  }
  function str(): string {
    // text[i] === '"'
    let s = ''
    i++
    while (i < n && text[i] !== '"') {
      if (text[i] === '\\') {
        s += text[i + 1] ?? ''
        i += 2
        continue
      }
      if (text[i] === '\n') line++
      s += text[i++]
    }
    i++
    return s
  }
  function value(path: string, depth: number) {
    ws()
    if (i >= n || depth > 200) throw new Error('eof')
    out.set(path, line)
    const ch = text[i]
    if (ch === '{') {
      i++
      ws()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        ws()
        if (text[i] !== '"') throw new Error('key')
        const keyLine = line
        const k = str()
        const p = path ? `${path}.${k}` : k
        ws()
        if (text[i] !== ':') throw new Error('colon')
        i++
        value(p, depth + 1)
        // The key's line is where a reader looks (an object value starts on the same line).
        out.set(p, keyLine)
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return
        }
        throw new Error('object')
      }
    } else if (ch === '[') {
      i++
      ws()
      if (text[i] === ']') {
        i++
        return
      }
      for (let k = 0; ; k++) {
        value(`${path}[${k}]`, depth + 1)
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return
        }
        throw new Error('array')
      }
    } else if (ch === '"') {
      str()
    } else {
      while (i < n && !',]}\n \t\r'.includes(text[i])) i++
    }
  }
  try {
    value('', 0)
  } catch {
    // partial map
  }
  return out
}

/** The line of `path` (or of its nearest enclosing path) in `lines`, or null. */
export function lineOf(lines: Map<string, number>, path: string): number | null {
  let p = path
  for (;;) {
    const l = lines.get(p)
    if (l !== undefined) return l
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['))
    if (cut <= 0) return lines.get('') ?? null
    p = p.slice(0, cut)
  }
}

/** "第 12 行 …" in an import error → 12. */
export function lineInMessage(message: string): number | null {
  const m = /第\s*(\d+)\s*行/.exec(message)
  return m ? Number(m[1]) : null
}

/** Where JSON.parse failed, as a Chinese message with its line, or null when the text parses. */
export function jsonSyntaxError(text: string): { line: number; message: string } | null {
  try {
    JSON.parse(text)
    return null
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const pos = /position (\d+)/.exec(msg)
    let line = 1
    if (pos) line = text.slice(0, Number(pos[1])).split('\n').length
    else {
      const lm = /line (\d+)/.exec(msg)
      if (lm) line = Number(lm[1])
    }
    return { line, message: `JSON 格式错误（第 ${line} 行附近）：请检查逗号、引号和括号是否成对` }
  }
}
