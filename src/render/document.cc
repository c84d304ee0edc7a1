// Layout in points on A4 (595.28 × 841.89 pt). Everything is drawn top to bottom with one
// cursor; a block that does not fit starts a new page. The seal, the issuer line and the QR
// code sit on the last page.
#include "render/document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "render/seal_picture.h"

namespace onestop::render {
namespace {

constexpr double kPageW = 595.28;
constexpr double kPageH = 841.89;
constexpr double kMarginX = 72.0;
constexpr double kMarginTop = 78.0;
constexpr double kFooterY = kPageH - 40.0;
constexpr double kContentW = kPageW - 2 * kMarginX;
// The area the last page keeps free for the issuer block and the QR code.
constexpr double kSignBlockH = 170.0;
constexpr double kBodySize = 12.0;

struct PangoDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};

class Painter {
 public:
  explicit Painter(cairo_t* cr) : cr_(cr) {}

  // A layout of `text` at `size` points, wrapped at `width` (no wrap when width <= 0).
  std::unique_ptr<PangoLayout, PangoDeleter> Layout(const std::string& text, double size,
                                                    double width, PangoAlignment align,
                                                    double indent = 0, double spacing = 0) {
    PangoLayout* layout = pango_cairo_create_layout(cr_);
    std::unique_ptr<PangoFontDescription, PangoDeleter> font(
        pango_font_description_from_string(kFontFamily));
    pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
    pango_layout_set_font_description(layout, font.get());
    if (width > 0) {
      pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout, align);
    if (indent != 0) pango_layout_set_indent(layout, static_cast<int>(indent * PANGO_SCALE));
    if (spacing != 0) pango_layout_set_spacing(layout, static_cast<int>(spacing * PANGO_SCALE));
    pango_layout_set_text(layout, text.c_str(), -1);
    return std::unique_ptr<PangoLayout, PangoDeleter>(layout);
  }

  static double Height(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  static double Width(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(w) / PANGO_SCALE;
  }

  void Show(PangoLayout* layout, double x, double y) {
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout);
    cairo_new_path(cr_);  // stack-notes gotcha 11: no stray line from the current point
  }

  cairo_t* cr() { return cr_; }

 private:
  cairo_t* cr_;
};

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

class Renderer {
 public:
  Renderer(const Document& doc, cairo_t* cr) : doc_(doc), p_(cr) {}

  Result<void> Run() {
    StartPage();
    Title();
    for (const std::string& para : doc_.paragraphs) Paragraph(para);
    if (!doc_.fields.empty()) Table();
    for (const std::string& para : doc_.closing) Paragraph(para);
    // The issuer block and the QR code need their room at the bottom of the last page.
    if (y_ > kFooterY - kSignBlockH) NewPage();
    RETURN_IF_ERROR(SignBlock());
    EndPage();
    return Ok();
  }

 private:
  void StartPage() {
    ++page_;
    y_ = kMarginTop;
    if (!doc_.header_note.empty()) {
      cairo_set_source_rgb(p_.cr(), 0.75, 0.05, 0.05);
      auto l = p_.Layout(doc_.header_note, 10, kContentW, PANGO_ALIGN_CENTER);
      p_.Show(l.get(), kMarginX, 36);
      cairo_set_line_width(p_.cr(), 0.6);
      double below = 36 + Painter::Height(l.get()) + 4;
      cairo_move_to(p_.cr(), kMarginX, below);
      cairo_line_to(p_.cr(), kPageW - kMarginX, below);
      cairo_stroke(p_.cr());
      y_ = std::max(y_, below + 18);
    }
    cairo_set_source_rgb(p_.cr(), 0, 0, 0);
  }

  void EndPage() {
    cairo_t* cr = p_.cr();
    if (!doc_.footer.empty()) {
      cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
      auto l = p_.Layout(doc_.footer, 8.5, kContentW, PANGO_ALIGN_CENTER);
      p_.Show(l.get(), kMarginX, kFooterY + 8);
    }
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    auto num = p_.Layout("第 " + std::to_string(page_) + " 页", 8, kContentW, PANGO_ALIGN_RIGHT);
    p_.Show(num.get(), kMarginX, kFooterY - 6);
    // The watermark goes last so that it lies over the text, as on a stamped copy.
    if (!doc_.watermark.empty()) Watermark();
    cairo_show_page(cr);
  }

  void NewPage() {
    EndPage();
    StartPage();
  }

  void EnsureRoom(double h) {
    if (y_ + h > kFooterY - 10 && y_ > kMarginTop + 1) NewPage();
  }

  void Title() {
    auto l = p_.Layout(doc_.title, 22, kContentW, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(p_.cr(), 0, 0, 0);
    p_.Show(l.get(), kMarginX, y_);
    y_ += Painter::Height(l.get()) + 10;
    if (!doc_.number_line.empty()) {
      auto n = p_.Layout(doc_.number_line, 10, kContentW, PANGO_ALIGN_RIGHT);
      p_.Show(n.get(), kMarginX, y_);
      y_ += Painter::Height(n.get()) + 14;
    } else {
      y_ += 10;
    }
  }

  void Paragraph(const std::string& text) {
    auto l = p_.Layout(text, kBodySize, kContentW, PANGO_ALIGN_LEFT, 2 * kBodySize, 6);
    double h = Painter::Height(l.get());
    EnsureRoom(std::min(h, 60.0));
    cairo_set_source_rgb(p_.cr(), 0, 0, 0);
    p_.Show(l.get(), kMarginX, y_);
    y_ += h + 10;
  }

  void Table() {
    constexpr double kLabelW = kContentW * 0.3;
    constexpr double kPad = 6;
    cairo_t* cr = p_.cr();
    y_ += 4;
    for (const Field& f : doc_.fields) {
      auto label = p_.Layout(f.label, 11, kLabelW - 2 * kPad, PANGO_ALIGN_LEFT);
      auto value = p_.Layout(f.value.empty() ? "—" : f.value, 11, kContentW - kLabelW - 2 * kPad,
                             PANGO_ALIGN_LEFT, 0, 3);
      double h = std::max(Painter::Height(label.get()), Painter::Height(value.get())) + 2 * kPad;
      EnsureRoom(h);
      cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
      cairo_rectangle(cr, kMarginX, y_, kLabelW, h);
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
      cairo_set_line_width(cr, 0.6);
      cairo_rectangle(cr, kMarginX, y_, kLabelW, h);
      cairo_rectangle(cr, kMarginX + kLabelW, y_, kContentW - kLabelW, h);
      cairo_stroke(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
      p_.Show(label.get(), kMarginX + kPad, y_ + kPad);
      p_.Show(value.get(), kMarginX + kLabelW + kPad, y_ + kPad);
      y_ += h;
    }
    y_ += 14;
  }

  Result<void> SignBlock() {
    cairo_t* cr = p_.cr();
    double top = std::max(y_ + 10, kFooterY - kSignBlockH);
    // Issuer name and date, right-aligned in the right half.
    double right_x = kPageW / 2;
    double right_w = kPageW - kMarginX - right_x;
    cairo_set_source_rgb(cr, 0, 0, 0);
    double line_y = top + 40;
    auto issuer = p_.Layout(doc_.issuer_name, kBodySize, right_w, PANGO_ALIGN_CENTER);
    p_.Show(issuer.get(), right_x, line_y);
    double date_y = line_y + Painter::Height(issuer.get()) + 6;
    auto date = p_.Layout(doc_.issued_date, kBodySize, right_w, PANGO_ALIGN_CENTER);
    p_.Show(date.get(), right_x, date_y);
    if (doc_.seal.has_value()) {
      // The seal covers the issuer name and the date, as a stamp does (盖章处).
      double cx = right_x + right_w / 2;
      double cy = (line_y + date_y + Painter::Height(date.get())) / 2;
      cairo_save(cr);
      DrawSeal(cr, cx, cy, 118.0, doc_.seal->department_name, doc_.seal->seal_title);
      cairo_restore(cr);
      cairo_new_path(cr);
    }
    if (!doc_.qr_text.empty()) RETURN_IF_ERROR(Qr(kMarginX, top));
    return Ok();
  }

  Result<void> Qr(double x, double y) {
    QRcode* qr = QRcode_encodeData(static_cast<int>(doc_.qr_text.size()),
                                   reinterpret_cast<const unsigned char*>(doc_.qr_text.data()), 0,
                                   QR_ECLEVEL_M);
    if (qr == nullptr) {
      return InvalidArgument("render.qr_too_long", "二维码内容过长，无法生成二维码");
    }
    std::unique_ptr<QRcode, void (*)(QRcode*)> guard(qr, QRcode_free);
    constexpr int kQuiet = 4;  // ISO/IEC 18004 quiet zone: 4 modules
    const double side = 118.0;
    const int modules = qr->width + 2 * kQuiet;
    const double m = side / modules;
    cairo_t* cr = p_.cr();
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, side, side);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int row = 0; row < qr->width; ++row) {
      for (int col = 0; col < qr->width; ++col) {
        if (qr->data[row * qr->width + col] & 1) {
          cairo_rectangle(cr, x + (col + kQuiet) * m, y + (row + kQuiet) * m, m, m);
        }
      }
    }
    cairo_fill(cr);
    if (!doc_.verification_code.empty()) {
      auto code = p_.Layout("核验码：" + doc_.verification_code, 9, 0, PANGO_ALIGN_LEFT);
      double w = Painter::Width(code.get());
      p_.Show(code.get(), x + std::max(0.0, (side - w) / 2), y + side + 2);
    }
    return Ok();
  }

  void Watermark() {
    cairo_t* cr = p_.cr();
    cairo_save(cr);
    cairo_set_source_rgba(cr, 0.5, 0.5, 0.5, 0.22);
    auto l = p_.Layout(doc_.watermark, 15, 0, PANGO_ALIGN_LEFT);
    double w = Painter::Width(l.get());
    cairo_translate(cr, kPageW / 2, kPageH / 2);
    cairo_rotate(cr, -M_PI / 6);
    for (int i = -2; i <= 2; ++i) {
      p_.Show(l.get(), -w / 2, i * 150.0 - 10);
    }
    cairo_restore(cr);
  }

  const Document& doc_;
  Painter p_;
  double y_ = kMarginTop;
  int page_ = 0;
};

}  // namespace

Result<std::string> RenderPdf(const Document& doc) {
  if (doc.title.empty()) return InvalidArgument("render.empty_title", "文书标题不能为空");
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(AppendToString, &out, kPageW, kPageH);
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface_guard(surface,
                                                                             cairo_surface_destroy);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    return Internal("render.cairo", "无法创建 PDF 文档");
  }
  const std::string& title = doc.pdf_title.empty() ? doc.title : doc.pdf_title;
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "OneStop");
  cairo_t* cr = cairo_create(surface);
  Result<void> run;
  {
    Renderer r(doc, cr);
    run = r.Run();
  }
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  if (!run.has_value()) return std::move(run).error();
  if (status != CAIRO_STATUS_SUCCESS || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    return Internal("render.cairo", std::string("PDF 生成失败：") + cairo_status_to_string(status));
  }
  return out;
}

}  // namespace onestop::render
