#include "core/embedded.h"

namespace onestop {

const EmbeddedFile* FindEmbedded(const std::vector<EmbeddedFile>& files, std::string_view name) {
  // Linear search: a binary holds a handful of embedded files and callers cache the result.
  for (const EmbeddedFile& file : files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

}  // namespace onestop
