// Render (文书版式): a small A4 document model — title, paragraphs, a label/value table, the
// issuer line with the seal picture over it, a QR code with its verification code, a footer
// and an optional watermark — laid out with Pango in ONE Noto CJK face and written as PDF by
// Cairo. The text stays extractable (fonts are embedded as subsets). The seal picture itself is
// render/seal_picture.h; what a proof or a licence says is decided by its module, not here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace onestop::render {

// One row of the two-column table.
struct Field {
  std::string label;  // e.g. "姓名"
  std::string value;  // wrapped when long; "" prints as "—"
};

// The red round seal placed over the issuer line.
struct SealMark {
  std::string department_name;  // text along the ring, e.g. "长沙市岳麓区住房保障服务中心"
  std::string seal_title;       // text under the star, e.g. "证明专用章"
};

struct Document {
  std::string title;        // centred at the top, e.g. "有无房产证明"
  std::string number_line;  // right-aligned under the title, e.g. "编号：ZM…"; may be ""
  std::vector<std::string> paragraphs;  // body text before the table, first line indented
  std::vector<Field> fields;            // the label / value table; may be empty
  std::vector<std::string> closing;     // paragraphs after the table (e.g. "特此证明。")
  std::string issuer_name;              // 出具单位, right-aligned near the bottom
  std::string issued_date;              // e.g. "2026年11月27日", under the issuer name
  std::optional<SealMark> seal;         // drawn over the issuer line
  std::string qr_text;                  // ASCII payload of the QR code; "" = no QR code
  std::string verification_code;        // printed under the QR code
  std::string footer;                   // small centred text at the bottom of every page
  std::string watermark;                // diagonal grey line(s) across every page; "" = none
  std::string header_note;  // a red line across the top of every page (加注件); "" = none
  std::string pdf_title;    // PDF metadata title; the title when ""
};

// The font every document uses (one face keeps a page at about 100 KB).
inline constexpr const char* kFontFamily = "Noto Serif CJK SC";

// Lays out `doc` on as many A4 pages as it needs and returns the PDF bytes.
// kInvalidArgument render.empty_title; render.qr_too_long (more than a version-40 code holds);
// kInternal render.cairo when Cairo fails.
Result<std::string> RenderPdf(const Document& doc);

}  // namespace onestop::render
