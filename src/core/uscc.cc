#include "core/uscc.h"

#include <array>
#include <cstdint>

#include "core/text.h"

namespace onestop {
namespace {

// GB 32100-2015 charset, values 0..30.
constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

constexpr std::array<std::int8_t, 256> MakeValueTable() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kCharset.size(); ++i) {
    table[static_cast<unsigned char>(kCharset[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr std::array<std::int8_t, 256> kValue = MakeValueTable();

int ValueOf(char c) { return kValue[static_cast<unsigned char>(c)]; }

// Names for the codes confirmed in standards §8.1; other codes are returned without a name
// rather than guessed (published tables of the rarer departments disagree).
std::string DeptName(char dept) {
  switch (dept) {
    case '1':
      return "机构编制";
    case '5':
      return "民政";
    case '9':
      return "工商（市场监管）";
    case 'Y':
      return "其他";
    default:
      return "";
  }
}

std::string CategoryName(char dept, char category) {
  const std::string key{dept, category};
  if (key == "11") return "机关";
  if (key == "12") return "事业单位";
  if (key == "13") return "中央编办直接管理机构编制的群众团体";
  if (key == "19") return "其他";
  if (key == "51") return "社会团体";
  if (key == "52") return "民办非企业单位";
  if (key == "53") return "基金会";
  if (key == "59") return "其他";
  if (key == "91") return "企业";
  if (key == "92") return "个体工商户";
  if (key == "93") return "农民专业合作社";
  return "";
}

}  // namespace

char UsccCheckChar(std::string_view first17) {
  // GB 32100-2015: weights 3^(i-1) mod 31; C18 = 31 - (sum mod 31), 31 -> 0.
  static constexpr int kWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const int v = ValueOf(first17[i]);
    if (v < 0) return '\0';
    sum += v * kWeights[i];
  }
  const int check = (31 - sum % 31) % 31;
  return kCharset[static_cast<std::size_t>(check)];
}

Result<Uscc> ParseUscc(std::string_view s, bool accept_failed_check) {
  const std::string_view trimmed = text::TrimSpace(s);
  const std::size_t length = text::CountCodePoints(trimmed);
  if (length != 18) {
    return InvalidArgument("core.uscc_length",
                           "统一社会信用代码应为18位，当前为" + std::to_string(length) + "位");
  }
  std::string code;
  code.reserve(18);
  int index = 0;
  for (std::size_t i = 0; i < trimmed.size(); ++index) {
    const std::size_t len = text::Utf8SequenceLength(trimmed[i]);
    char c = trimmed[i];
    if (len == 1 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (len != 1 || ValueOf(c) < 0) {
      const std::string shown = len == 1 ? std::string(1, c) : std::string(trimmed.substr(i, len));
      return InvalidArgument("core.uscc_chars",
                             "统一社会信用代码第" + std::to_string(index + 1) + "位“" + shown +
                                 "”不是有效字符：只能是数字和大写字母，且不使用I、O、Z、S、V");
    }
    code.push_back(c);
    i += len;
  }

  Uscc out;
  out.code = code;
  out.registration_dept = code.substr(0, 1);
  out.registration_dept_name = DeptName(code[0]);
  out.org_category = code.substr(1, 1);
  out.org_category_name = CategoryName(code[0], code[1]);
  out.region_code = code.substr(2, 6);

  const char expected = UsccCheckChar(std::string_view(code).substr(0, 17));
  if (expected != code[17]) {
    std::string message = std::string("统一社会信用代码校验位应为") + expected + "，实际为" +
                          code[17] + "；如为早期试点地区代码，请由管理员确认后登记";
    if (!accept_failed_check) return InvalidArgument("core.uscc_check", std::move(message));
    out.check_ok = false;
    out.warning = std::string("统一社会信用代码校验位应为") + expected + "，实际为" + code[17] +
                  "；已按早期试点地区代码登记，请核对营业执照原件";
  }
  return out;
}

}  // namespace onestop
