#include "cases/blob_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.h"

namespace onestop::cases {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Error Io(const std::string& what) {
  return Unavailable("cases.blob_io", "材料文件保存失败（" + what + "），请稍后重试");
}

// Writes `bytes` to `path` through a temporary file, fsync and rename.
Result<void> WriteDurably(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return Io(ec.message());
  const std::string tmp = path.string() + ".tmp-" + NewUlid(0);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return Io(std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Io(why);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Io("fsync");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Io(why);
  }
  return Ok();
}

}  // namespace

std::string SniffContentType(std::string_view b) {
  if (StartsWith(b, "%PDF-")) return "application/pdf";
  if (StartsWith(b, "\xFF\xD8\xFF")) return "image/jpeg";
  if (StartsWith(b, "\x89PNG\r\n\x1A\n")) return "image/png";
  // OFD (GB/T 33190) is a ZIP container whose root holds OFD.xml.
  if (StartsWith(b, std::string_view("PK\x03\x04", 4)) &&
      b.find("OFD.xml") != std::string_view::npos) {
    return "application/ofd";
  }
  return "";
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

BlobStore::BlobStore(store::Db& db, const Clock& clock, std::string root, std::int64_t max_bytes)
    : db_(db), clock_(clock), root_(std::move(root)), max_bytes_(max_bytes) {}

std::string BlobStore::PathOf(const std::string& sha256) const {
  return (std::filesystem::path(root_) / sha256.substr(0, 2) / sha256).string();
}

Result<BlobInfo> BlobStore::Put(const identity::Principal& actor, std::string_view bytes) {
  if (actor.user_id.empty()) return Unauthenticated("identity.unauthenticated", "请先登录");
  if (bytes.empty()) return InvalidArgument("cases.blob_empty", "上传的文件是空的");
  if (static_cast<std::int64_t>(bytes.size()) > max_bytes_) {
    return InvalidArgument("cases.blob_too_large",
                           "文件过大：最大 " + std::to_string(max_bytes_ / (1024 * 1024)) + " MB");
  }
  BlobInfo info;
  info.content_type = SniffContentType(bytes);
  if (info.content_type.empty()) {
    return InvalidArgument("cases.blob_type",
                           "文件类型不受支持：只接受 PDF、JPEG、PNG 或 OFD 文件（按文件内容判断）");
  }
  info.sha256 = Sha256Hex(bytes);
  info.size = static_cast<std::int64_t>(bytes.size());
  // The file first, then the row: a row always has its file; a crash between leaves an
  // unreferenced file that the next upload of the same content reuses.
  const std::filesystem::path path = PathOf(info.sha256);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) ||
      static_cast<std::int64_t>(std::filesystem::file_size(path, ec)) != info.size) {
    RETURN_IF_ERROR(WriteDurably(path, bytes));
  }
  RETURN_IF_ERROR(store::Transact(db_, [&](store::Tx& tx) -> Result<void> {
    ASSIGN_OR_RETURN(store::Rows rows,
                     tx.Query("SELECT 1 FROM blob WHERE sha256 = ?", {info.sha256}));
    if (!rows.empty()) return Ok();
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO blob (sha256, size, content_type, created_by, created_at_ms) "
                "VALUES (?, ?, ?, ?, ?)",
                {info.sha256, info.size, info.content_type, actor.user_id, clock_.NowMs()}));
    return Ok();
  }));
  return info;
}

Result<BlobInfo> BlobStore::Lookup(store::Tx& tx, const std::string& sha256) {
  if (!IsHex64(sha256)) return NotFound("cases.no_such_blob", "材料文件不存在，请重新上传");
  ASSIGN_OR_RETURN(store::Row row,
                   tx.QueryOne("SELECT sha256, size, content_type FROM blob WHERE sha256 = ?",
                               {sha256}, "cases.no_such_blob", "材料文件不存在，请重新上传"));
  return BlobInfo{row.Text(0), row.Int(1), row.Text(2)};
}

Result<BlobInfo> BlobStore::Info(const std::string& sha256) {
  return store::Read(db_, [&](store::Tx& tx) { return Lookup(tx, sha256); });
}

Result<std::string> BlobStore::Read(const std::string& sha256) {
  ASSIGN_OR_RETURN(BlobInfo info, Info(sha256));
  std::ifstream in(PathOf(info.sha256), std::ios::binary);
  if (!in) return Unavailable("cases.blob_io", "材料文件读取失败");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace onestop::cases
