// Small text helpers shared by the core validators (trimming, UTF-8 code points).
// Header-only on purpose: core/CMakeLists.txt lists its .cc files and this needs none.
// Not a general string library; callers outside core should prefer their own needs.
#pragma once

#include <cstddef>
#include <string_view>

namespace onestop::text {

// `s` without leading and trailing ASCII whitespace and U+3000 (ideographic space, which
// Chinese input methods insert easily).
inline std::string_view TrimSpace(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (true) {
    if (!s.empty() && is_space(s.front())) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && is_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

// Byte length of the UTF-8 sequence that starts with `lead` (1 for ASCII and for stray
// continuation or invalid bytes, so that iteration always advances).
inline std::size_t Utf8SequenceLength(char lead) {
  const auto b = static_cast<unsigned char>(lead);
  if (b >= 0xF0 && b <= 0xF7) return 4;
  if (b >= 0xE0) return b <= 0xEF ? 3 : 1;
  if (b >= 0xC0) return 2;
  return 1;
}

// Number of code points in `s` (what a person counts as "characters").
inline std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += Utf8SequenceLength(s[i])) ++n;
  return n;
}

// The code point at index `index` (0-based) of `s` as its UTF-8 bytes; empty if out of range.
inline std::string_view CodePointAt(std::string_view s, std::size_t index) {
  std::size_t i = 0;
  for (std::size_t n = 0; i < s.size(); ++n) {
    const std::size_t len = Utf8SequenceLength(s[i]);
    if (n == index) return s.substr(i, len);
    i += len;
  }
  return {};
}

}  // namespace onestop::text
