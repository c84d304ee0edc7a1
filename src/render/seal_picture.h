// The seal picture (印章图案): a red round seal — outer ring, the department's name along the
// upper arc, a five-pointed star, the seal's title under it — drawn with Cairo and Pango in the
// one Noto Serif CJK SC face the documents use. Keys and signatures are in seal/, not here.
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>

namespace onestop::render {

// Draws the seal centred at (cx, cy) with the given outer diameter in user units, e.g.
// DrawSeal(cr, 300, 700, 118, "长沙市岳麓区行政审批服务局", "电子证照专用章"). Leaves the
// cairo state (source, path, transform) as it found it.
void DrawSeal(cairo_t* cr, double cx, double cy, double diameter, std::string_view department_name,
              std::string_view seal_title);

// The seal as a px × px PNG with a transparent background.
std::string SealPng(std::string_view department_name, std::string_view seal_title, int px);

}  // namespace onestop::render
