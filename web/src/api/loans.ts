// 融资一件事: banks' loan products with eligibility conditions, the enterprise's view of which it
// qualifies for (and why not), one-click financing requests, and the bank's queue and answers.
// Routes: src/http/routes/loan_routes.cc (see docs/openapi.json). Money is integer fen, rates
// are basis points (345 = 年化 3.45%).
import { http } from './http'
import type { Explanation } from './policy'

const enc = encodeURIComponent

export const GUARANTEES = [
  { value: 'credit', label: '信用' },
  { value: 'mortgage', label: '抵押' },
  { value: 'guarantee', label: '担保' },
  { value: 'pledge', label: '质押' },
]

export interface LoanProductInput {
  departmentId: string
  bankName: string
  name: string
  rateBp: number
  minAmountFen: number
  maxAmountFen: number
  maxTermMonths: number
  guarantee: string
  description: string
  ruleText?: string
  ruleJson?: unknown
}

export interface LoanProduct extends LoanProductInput {
  id: string
  guaranteeName: string
  ruleText: string
  ruleTextZh: string
  status: string
  statusName: string
  version: number
  updatedAt: string
  // For the signed-in enterprise only:
  eligible?: boolean
  explanation?: Explanation
  hasOpenRequest?: boolean
}

export interface LoanRequestInput {
  amountFen: number
  termMonths: number
  purpose: string
  contactName: string
  contactPhone: string
}

export interface LoanRequest extends LoanRequestInput {
  id: string
  productId: string
  productName: string
  bankName: string
  enterpriseId: string
  enterpriseName: string
  status: string
  statusName: string
  answer: string
  approvedAmountFen: number
  approvedRateBp: number
  answeredAt: string | null
  createdAt: string
  version: number
}

export interface LoanAnswer {
  decision: 'accept' | 'approve' | 'reject'
  message: string
  approvedAmountFen?: number
  approvedRateBp?: number
  version: number
}

type Items<T> = { items: T[] }

export const rate = (bp: number) => `${(bp / 100).toFixed(2)}%`

export const products = (mine = false) =>
  http.get<Items<LoanProduct>>('/loan-products', mine ? { mine: 1 } : undefined).then((r) => r.items)
export const myProducts = () => http.get<Items<LoanProduct>>('/me/loan-products').then((r) => r.items)
export const createProduct = (p: LoanProductInput) => http.post<LoanProduct>('/loan-products', p)
export const updateProduct = (id: string, p: LoanProductInput & { version: number }) =>
  http.put<LoanProduct>(`/loan-products/${enc(id)}`, p)
export const publishProduct = (id: string) => http.post<LoanProduct>(`/loan-products/${enc(id)}/publish`)
export const withdrawProduct = (id: string) => http.post<LoanProduct>(`/loan-products/${enc(id)}/withdraw`)
export const eligible = (id: string) =>
  http.get<{ count: number; enterprises: number; sample: string[] }>(`/loan-products/${enc(id)}/eligible`)
export const requestLoan = (productId: string, r: LoanRequestInput) =>
  http.post<LoanRequest>(`/loan-products/${enc(productId)}/requests`, r)
export const myRequests = () => http.get<Items<LoanRequest>>('/me/loan-requests').then((r) => r.items)
export const withdrawRequest = (id: string) => http.post<LoanRequest>(`/loan-requests/${enc(id)}/withdraw`)
export const bankRequests = (status = '') =>
  http.get<Items<LoanRequest>>('/loan-requests', status ? { status } : undefined).then((r) => r.items)
export const answerRequest = (id: string, a: LoanAnswer) => http.post<LoanRequest>(`/loan-requests/${enc(id)}/answer`, a)
