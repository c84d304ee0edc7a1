#include "render/seal_picture.h"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

namespace onestop::render {
namespace {

constexpr const char* kSealFont = "Noto Serif CJK SC";  // one face, as the documents use
constexpr double kRed[3] = {0.86, 0.08, 0.08};          // 印泥红

struct LayoutFree {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
struct FontFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};

std::vector<std::string> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    len = std::min(len, s.size() - i);
    std::string cp(s.substr(i, len));
    if (cp != " ") out.push_back(std::move(cp));
    i += len;
  }
  return out;
}

std::unique_ptr<PangoLayout, LayoutFree> MakeLayout(cairo_t* cr, std::string_view text, double size,
                                                    double weight_bold) {
  std::unique_ptr<PangoLayout, LayoutFree> layout(pango_cairo_create_layout(cr));
  std::unique_ptr<PangoFontDescription, FontFree> font(
      pango_font_description_from_string(kSealFont));
  pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
  if (weight_bold > 0) pango_font_description_set_weight(font.get(), PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout.get(), font.get());
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

// Shows `layout` centred on the current origin.
void ShowCentred(cairo_t* cr, PangoLayout* layout, double x_scale = 1.0) {
  PangoRectangle ink, logical;
  pango_layout_get_extents(layout, &ink, &logical);
  double w = static_cast<double>(logical.width) / PANGO_SCALE;
  double h = static_cast<double>(logical.height) / PANGO_SCALE;
  cairo_save(cr);
  cairo_scale(cr, x_scale, 1.0);
  cairo_move_to(cr, -w / 2, -h / 2);
  pango_cairo_update_layout(cr, layout);
  pango_cairo_show_layout(cr, layout);
  cairo_restore(cr);
}

void Star(cairo_t* cr, double cx, double cy, double outer) {
  const double inner = outer * 0.382;  // a regular five-pointed star
  cairo_new_path(cr);
  for (int i = 0; i < 10; ++i) {
    double r = i % 2 == 0 ? outer : inner;
    double a = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
    double x = cx + r * std::cos(a), y = cy + r * std::sin(a);
    if (i == 0) {
      cairo_move_to(cr, x, y);
    } else {
      cairo_line_to(cr, x, y);
    }
  }
  cairo_close_path(cr);
  cairo_fill(cr);
}

cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

void DrawSeal(cairo_t* cr, double cx, double cy, double diameter, std::string_view department_name,
              std::string_view seal_title) {
  cairo_save(cr);
  cairo_set_source_rgb(cr, kRed[0], kRed[1], kRed[2]);
  const double ring = diameter * 0.035;
  const double r = diameter / 2 - ring / 2;

  // Outer ring (gotcha 11: a fresh path, or a line joins the last text position).
  cairo_new_path(cr);
  cairo_set_line_width(cr, ring);
  cairo_arc(cr, cx, cy, r, 0, 2 * std::numbers::pi);
  cairo_stroke(cr);

  // The department's name along the upper arc, each character turned to face the centre.
  std::vector<std::string> chars = CodePoints(department_name);
  const std::size_t n = chars.size();
  if (n > 0) {
    const double size = diameter * (n > 16 ? 0.105 : 0.13);
    const double text_r = r - ring / 2 - size * 0.68;
    // Up to 250° of arc, about one character's width apart, centred on the top.
    const double per_char = std::min(0.42, 4.36 / static_cast<double>(n));
    const double span = per_char * static_cast<double>(n - 1);
    const double start = -std::numbers::pi / 2 - span / 2;
    for (std::size_t i = 0; i < n; ++i) {
      const double a = start + per_char * static_cast<double>(i);
      auto layout = MakeLayout(cr, chars[i], size, 1);
      cairo_save(cr);
      cairo_translate(cr, cx + text_r * std::cos(a), cy + text_r * std::sin(a));
      cairo_rotate(cr, a + std::numbers::pi / 2);
      ShowCentred(cr, layout.get(), 0.9);  // slightly narrow, as engraved seals are
      cairo_restore(cr);
    }
  }

  Star(cr, cx, cy, diameter * 0.16);

  // The title on one line below the star, squeezed to fit the chord there.
  if (!seal_title.empty()) {
    const double size = diameter * 0.095;
    auto layout = MakeLayout(cr, seal_title, size, 1);
    PangoRectangle ink, logical;
    pango_layout_get_extents(layout.get(), &ink, &logical);
    const double w = static_cast<double>(logical.width) / PANGO_SCALE;
    const double max_w = diameter * 0.62;
    cairo_save(cr);
    cairo_translate(cr, cx, cy + diameter * 0.27);
    ShowCentred(cr, layout.get(), std::min(1.0, max_w / std::max(w, 1.0)));
    cairo_restore(cr);
  }
  cairo_new_path(cr);
  cairo_restore(cr);
}

std::string SealPng(std::string_view department_name, std::string_view seal_title, int px) {
  px = std::clamp(px, 16, 4096);
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, px, px);
  cairo_t* cr = cairo_create(surface);
  const double d = px * 0.96;
  DrawSeal(cr, px / 2.0, px / 2.0, d, department_name, seal_title);
  cairo_destroy(cr);
  std::string png;
  cairo_surface_write_to_png_stream(surface, AppendPng, &png);
  cairo_surface_destroy(surface);
  return png;
}

}  // namespace onestop::render
