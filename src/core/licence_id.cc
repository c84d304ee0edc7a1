#include "core/licence_id.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/uscc.h"

namespace onestop {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::size_t kMaxSerial = 32;

int ValueOf(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

bool AllAlnumUpper(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return ValueOf(c) >= 0; });
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A USCC here is checked for length and charset only: registers carry legal codes of early
// pilot regions that fail the GB 32100 check character (standards §8.1).
bool UsccShape(std::string_view s) {
  if (s.size() != 18) return false;
  Result<Uscc> u = ParseUscc(s, /*accept_failed_check=*/true);
  return u.has_value() && u->code == s;
}

Result<void> CheckType(std::string_view type_code) {
  if (type_code.size() != 21 || !UsccShape(type_code.substr(0, 18)) ||
      !AllDigits(type_code.substr(18))) {
    return InvalidArgument("core.licence_id_type",
                           "证照类型代码“" + std::string(type_code) +
                               "”应为定义机构统一社会信用代码（18位）加3位数字");
  }
  return Ok();
}

Result<void> CheckIssuer(std::string_view issuer) {
  if (!UsccShape(issuer)) {
    return InvalidArgument("core.licence_id_issuer",
                           "证照颁发机构代码“" + std::string(issuer) + "”应为18位统一社会信用代码");
  }
  return Ok();
}

Result<void> CheckSerial(std::string_view serial) {
  if (serial.empty() || serial.size() > kMaxSerial || !AllAlnumUpper(serial)) {
    return InvalidArgument("core.licence_id_serial",
                           "流水号“" + std::string(serial) + "”应为1–32位数字或大写字母");
  }
  return Ok();
}

Error BadVersion(std::string_view v) {
  return InvalidArgument("core.licence_id_version",
                         "版本号“" + std::string(v) + "”应为001–999的3位数字");
}

std::string Version3(int v) {
  std::string s = std::to_string(v);
  return std::string(3 - std::min<std::size_t>(3, s.size()), '0') + s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = s.find(sep, start);
    if (dot == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
}

}  // namespace

std::string LicenceId::str() const {
  std::string s(kLicenceIdRoot);
  s += '.' + type_code + '.' + issuer_uscc + '.' + serial + '.' + Version3(version) + '.';
  s += check;
  return s;
}

// ISO/IEC 7064 MOD 37,36 hybrid system (standards §2.2).
char LicenceIdCheckChar(std::string_view body) {
  if (body.empty()) return '\0';
  int p = 36;
  for (char ch : body) {
    int v = ValueOf(ch);
    if (v < 0) return '\0';
    int t = (p + v) % 36;
    if (t == 0) t = 36;
    p = (t * 2) % 37;
  }
  return kAlphabet[(37 - p) % 36];
}

Result<LicenceId> BuildLicenceId(std::string_view type_code, std::string_view issuer_uscc,
                                 std::string_view serial, int version) {
  RETURN_IF_ERROR(CheckType(type_code));
  RETURN_IF_ERROR(CheckIssuer(issuer_uscc));
  RETURN_IF_ERROR(CheckSerial(serial));
  if (version < 1 || version > 999) return BadVersion(std::to_string(version));
  LicenceId id{std::string(type_code), std::string(issuer_uscc), std::string(serial), version};
  id.check = LicenceIdCheckChar(id.type_code + id.issuer_uscc + id.serial + Version3(version));
  return id;
}

Result<LicenceId> ParseLicenceId(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string root = std::string(kLicenceIdRoot) + ".";
  if (s.substr(0, root.size()) != root) {
    return InvalidArgument("core.licence_id_root", "电子证照标识应以根代码 1.2.156.3005.2 开头");
  }
  std::vector<std::string_view> parts = Split(s.substr(root.size()), '.');
  if (parts.size() != 5) {
    return InvalidArgument(
        "core.licence_id_parts",
        "电子证照标识在根代码之后应有5段：证照类型代码.颁发机构代码.流水号.版本号.校验位，"
        "实有" +
            std::to_string(parts.size()) + "段");
  }
  RETURN_IF_ERROR(CheckType(parts[0]));
  RETURN_IF_ERROR(CheckIssuer(parts[1]));
  RETURN_IF_ERROR(CheckSerial(parts[2]));
  int version = 0;
  if (parts[3].size() != 3 || !AllDigits(parts[3])) return BadVersion(parts[3]);
  std::from_chars(parts[3].data(), parts[3].data() + 3, version);
  if (version < 1) return BadVersion(parts[3]);
  if (parts[4].size() != 1 || ValueOf(parts[4][0]) < 0) {
    return InvalidArgument("core.licence_id_check",
                           "校验位“" + std::string(parts[4]) + "”应为1位数字或大写字母");
  }
  ASSIGN_OR_RETURN(LicenceId id, BuildLicenceId(parts[0], parts[1], parts[2], version));
  if (id.check != parts[4][0]) {
    return InvalidArgument("core.licence_id_check", "校验位错误：应为“" + std::string(1, id.check) +
                                                        "”，实为“" + std::string(parts[4]) +
                                                        "”（ISO 7064 MOD 37,36）");
  }
  return id;
}

}  // namespace onestop
