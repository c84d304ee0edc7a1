#include "core/ids.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>

namespace onestop {
namespace {

// Crockford base32: no I, L, O, U.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr Millis kMaxTime = (Millis{1} << 48) - 1;

// Value of a Crockford character in canonical (upper-case) form, or -1.
constexpr std::array<std::int8_t, 256> MakeDecodeTable() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr std::array<std::int8_t, 256> kDecode = MakeDecodeTable();

// One generator per thread: no lock on the hot path. random_device alone may be weak or
// deterministic on some platforms, so the seed also mixes in the clock and the thread id.
std::mt19937_64& Generator() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    const auto now = static_cast<std::uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
    const auto thread = std::hash<std::thread::id>{}(std::this_thread::get_id());
    std::seed_seq seq{device(),
                      device(),
                      device(),
                      device(),
                      device(),
                      device(),
                      static_cast<std::uint32_t>(now),
                      static_cast<std::uint32_t>(now >> 32),
                      static_cast<std::uint32_t>(thread),
                      static_cast<std::uint32_t>(thread >> 32)};
    return std::mt19937_64(seq);
  }();
  return generator;
}

}  // namespace

std::string NewUlid(Millis now_ms) {
  const auto time = static_cast<std::uint64_t>(now_ms < 0 ? 0 : std::min(now_ms, kMaxTime));
  std::mt19937_64& gen = Generator();
  const std::uint64_t r1 = gen();
  const std::uint64_t r2 = gen();
  // 128 bits: time (48) | random (80). hi holds bits 127..64, lo bits 63..0.
  const std::uint64_t hi = (time << 16) | (r1 & 0xFFFF);
  const std::uint64_t lo = r2;
  std::string out(26, '0');
  // Character i (0 = most significant) encodes bits [125 - 5i, 130 - 5i) of the 130-bit
  // zero-extended value; the first character therefore carries only 3 bits.
  for (int i = 25; i >= 0; --i) {
    const int shift = 5 * (25 - i);  // bit offset of this character's lowest bit
    std::uint64_t v;
    if (shift >= 64) {
      v = hi >> (shift - 64);
    } else if (shift + 5 <= 64) {
      v = lo >> shift;
    } else {
      v = (lo >> shift) | (hi << (64 - shift));
    }
    out[static_cast<std::size_t>(i)] = kAlphabet[v & 0x1F];
  }
  return out;
}

bool IsUlid(std::string_view s) {
  if (s.size() != 26 || s[0] > '7') return false;
  for (char c : s) {
    if (kDecode[static_cast<unsigned char>(c)] < 0) return false;
  }
  return true;
}

Millis UlidTimeMs(std::string_view ulid) {
  std::uint64_t time = 0;
  for (std::size_t i = 0; i < 10 && i < ulid.size(); ++i) {
    time = (time << 5) | static_cast<std::uint64_t>(kDecode[static_cast<unsigned char>(ulid[i])]);
  }
  return static_cast<Millis>(time);
}

}  // namespace onestop
