// Checks an application form's values against the fields of an item or a bundle's merged
// form: every problem at once, as FieldErrors keyed by the field's semantic key, in Chinese.
#pragma once

#include <vector>

#include "cases/case.h"
#include "catalog/item.h"

namespace onestop::cases {

// kInvalidArgument cases.invalid_form with one FieldError per problem: a required field
// missing, a value of the wrong type (身份证号 and 统一社会信用代码 with their check digits,
// dates, numbers within min/max, 11-digit mobile numbers, region codes in the table, select
// options, booleans "true"/"false", text length), or a key the form does not have.
// `today_yyyymmdd` bounds birth dates in 身份证号 (0 = no bound).
Result<void> CheckForm(const std::vector<catalog::FormField>& fields, const FormValues& values,
                       int today_yyyymmdd = 0);

}  // namespace onestop::cases
