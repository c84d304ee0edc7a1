// Reading CSV files line by line (licence and enterprise-data imports, bank reconciliation files).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace onestop {

// One CSV record on one line (RFC 4180 quoting: "a,b" and doubled "" inside quotes; a quoted
// field may not span lines) into `out`. Returns false when a quote is left open.
bool SplitCsv(std::string_view line, std::vector<std::string>& out);

}  // namespace onestop
