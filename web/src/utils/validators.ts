// Client-side checks that mirror core/id_number and core/uscc on the server. The server stays the
// authority: its error.message and error.fields are shown when it rejects.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** GB 11643-1999 公民身份号码: an error message in Chinese, or null when valid. */
export function checkIdNumber(raw: string): string | null {
  const v = raw.trim().toUpperCase()
  if (!v) return '请输入身份证号'
  if (v.length !== 18) return '身份证号应为18位'
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号格式不正确：前17位应为数字，最后一位为数字或X'
  const y = Number(v.slice(6, 10))
  const m = Number(v.slice(10, 12))
  const d = Number(v.slice(12, 14))
  const birth = new Date(y, m - 1, d)
  if (y < 1900 || birth.getFullYear() !== y || birth.getMonth() !== m - 1 || birth.getDate() !== d) {
    return '身份证号中的出生日期不正确'
  }
  if (birth.getTime() > Date.now()) return '身份证号中的出生日期不能晚于今天'
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * ID_WEIGHTS[i]
  if (ID_CHECK[sum % 11] !== v[17]) return '身份证号校验位错误，请核对后重新输入'
  return null
}

/** Birth date and gender encoded in a valid 18-digit 身份证号. */
export function idNumberInfo(raw: string): { birthDate: string; gender: '男' | '女' } | null {
  const v = raw.trim().toUpperCase()
  if (checkIdNumber(v)) return null
  return {
    birthDate: `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`,
    gender: Number(v[16]) % 2 === 1 ? '男' : '女',
  }
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export type UsccCheck = { ok: true } | { ok: false; kind: 'format' | 'check'; message: string }

/** GB 32100-2015 统一社会信用代码. A check-character mismatch is reported separately from a
 *  format error, because some early pilot codes fail the check and are still legal. */
export function checkUscc(raw: string): UsccCheck {
  const v = raw.trim().toUpperCase()
  if (!v) return { ok: false, kind: 'format', message: '请输入统一社会信用代码' }
  if (v.length !== 18) return { ok: false, kind: 'format', message: '统一社会信用代码应为18位' }
  for (const ch of v) {
    if (!USCC_CHARS.includes(ch)) {
      return {
        ok: false,
        kind: 'format',
        message: `统一社会信用代码含有非法字符“${ch}”（不使用 I、O、Z、S、V）`,
      }
    }
  }
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(v[i]) * USCC_WEIGHTS[i]
  const c = (31 - (sum % 31)) % 31
  if (USCC_CHARS[c] !== v[17]) {
    return { ok: false, kind: 'check', message: '统一社会信用代码校验位错误，请核对后重新输入' }
  }
  return { ok: true }
}

/** Mainland mobile number. */
export function checkPhone(raw: string): string | null {
  const v = raw.trim()
  if (!v) return '请输入手机号码'
  if (!/^1[3-9]\d{9}$/.test(v)) return '手机号码应为以1开头的11位数字'
  return null
}

/** Password rule for staff accounts (the server may be stricter; its message is shown then). */
export function checkPassword(raw: string): string | null {
  if (!raw) return '请输入密码'
  if (raw.length < 8) return '密码至少8位'
  if (raw.length > 64) return '密码不能超过64位'
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(raw)).length
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类'
  return null
}

/** Adapts a `(value) => message | null` check to an Element Plus form rule validator. */
export function ruleOf(check: (v: string) => string | null) {
  return (_rule: unknown, value: string, callback: (e?: Error) => void) => {
    const msg = check(value ?? '')
    if (msg) callback(new Error(msg))
    else callback()
  }
}
