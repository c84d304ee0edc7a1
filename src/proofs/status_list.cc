#include "proofs/status_list.h"

#include <zlib.h>

#include <cstring>

#include "seal/seal_service.h"

namespace onestop::proofs {
namespace {

constexpr int kGzipWindow = 15 + 16;  // zlib: a gzip header and trailer (RFC 1952)

Result<std::string> Gzip(std::string_view raw) {
  z_stream z;
  std::memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return Internal("proofs.gzip", "状态列表压缩失败");
  }
  std::string out(deflateBound(&z, raw.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Internal("proofs.gzip", "状态列表压缩失败");
  return out;
}

Result<std::string> Gunzip(std::string_view gz) {
  z_stream z;
  std::memset(&z, 0, sizeof z);
  if (inflateInit2(&z, kGzipWindow) != Z_OK) return Internal("proofs.gzip", "状态列表解压失败");
  std::string out;
  char buf[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > static_cast<std::size_t>(kStatusListBits)) break;  // zip bomb guard
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    return InvalidArgument("proofs.bad_status_list", "状态列表不是有效的 GZIP 数据");
  }
  return out;
}

}  // namespace

std::string EncodeStatusList(const std::vector<std::int64_t>& set_indices) {
  std::string bits(kStatusListBits / 8, '\0');
  for (std::int64_t i : set_indices) {
    if (i < 0 || i >= kStatusListBits) continue;
    bits[static_cast<std::size_t>(i / 8)] |= static_cast<char>(0x80 >> (i % 8));
  }
  Result<std::string> gz = Gzip(bits);
  // deflate into a buffer of deflateBound size cannot fail; an empty list marks a bug.
  return gz.has_value() ? "u" + seal::Base64Url(*gz) : std::string();
}

Result<std::string> DecodeStatusList(std::string_view encoded) {
  if (encoded.empty() || encoded.front() != 'u') {
    return InvalidArgument("proofs.bad_status_list", "状态列表须以 multibase 前缀“u”开头");
  }
  Result<std::string> gz = seal::FromBase64(encoded.substr(1));
  if (!gz.has_value()) {
    return InvalidArgument("proofs.bad_status_list", "状态列表不是有效的 base64url 数据");
  }
  return Gunzip(*gz);
}

bool StatusBit(std::string_view bits, std::int64_t index) {
  if (index < 0 || static_cast<std::size_t>(index / 8) >= bits.size()) return false;
  return (static_cast<unsigned char>(bits[static_cast<std::size_t>(index / 8)]) &
          (0x80 >> (index % 8))) != 0;
}

}  // namespace onestop::proofs
