// Blob store (材料文件): uploaded files, content-addressed by SHA-256 and kept on disk under a
// root directory (<root>/<2 hex>/<64 hex>), indexed in the `blob` table. The type is decided
// by the content (PDF, JPEG, PNG, OFD), never by the file name. A file is written to a
// temporary name, flushed, and renamed, so a crash leaves either the whole file or none.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::cases {

struct BlobInfo {
  std::string sha256;  // lower-case hex
  std::int64_t size = 0;
  std::string content_type;  // "application/pdf", "image/jpeg", "image/png", "application/ofd"
};

// The content type of `bytes` by their signature, or "" when it is none of the accepted ones.
std::string SniffContentType(std::string_view bytes);

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

class BlobStore {
 public:
  static constexpr std::int64_t kDefaultMaxBytes = 10 * 1024 * 1024;

  BlobStore(store::Db& db, const Clock& clock, std::string root,
            std::int64_t max_bytes = kDefaultMaxBytes);

  // Stores `bytes` (idempotent: the same content gives the same blob). Signed-in users only.
  // kInvalidArgument cases.blob_empty, cases.blob_too_large, cases.blob_type (not PDF / JPEG /
  // PNG / OFD by content); kUnavailable cases.blob_io (disk).
  Result<BlobInfo> Put(const identity::Principal& actor, std::string_view bytes);
  // kNotFound cases.no_such_blob.
  Result<BlobInfo> Info(const std::string& sha256);
  Result<std::string> Read(const std::string& sha256);
  // Whether `sha256` names a stored blob (inside a transaction, for case validation).
  static Result<BlobInfo> Lookup(store::Tx& tx, const std::string& sha256);

  const std::string& root() const { return root_; }
  std::int64_t max_bytes() const { return max_bytes_; }

 private:
  std::string PathOf(const std::string& sha256) const;

  store::Db& db_;
  const Clock& clock_;
  std::string root_;
  std::int64_t max_bytes_;
};

}  // namespace onestop::cases
