// 行政区划代码 (GB/T 2260) helpers.

/** GB/T 2260 code → the codes of its province, city, county (and township/village) ancestors. */
export function regionPath(code: string): string[] {
  if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(code)) return code ? [code] : []
  const path: string[] = []
  const p = code.slice(0, 2) + '0000'
  const c = code.slice(0, 4) + '00'
  const county = code.slice(0, 6)
  path.push(p)
  if (c !== p) path.push(c)
  if (county !== c) path.push(county)
  if (code.length >= 9) path.push(code.slice(0, 9))
  if (code.length === 12) path.push(code)
  return path
}

const fullNames = new Map<string, Promise<string>>()

/** The full name of a region code (湖南省长沙市芙蓉区), fetched once per code; the code itself
 *  when it is unknown. */
export function regionFullName(code: string, fetch: (code: string) => Promise<{ name: string; fullName?: string }>): Promise<string> {
  if (!fullNames.has(code)) fullNames.set(code, fetch(code).then((r) => r.fullName || r.name).catch(() => code))
  return fullNames.get(code)!
}
