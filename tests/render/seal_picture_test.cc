// Seal picture: a PNG that decodes, has the asked size, is red where the ring and star are and
// transparent in the corners.
#include "render/seal_picture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace onestop::render {
namespace {

struct Reader {
  const std::string* data;
  std::size_t at = 0;
};

cairo_status_t Read(void* closure, unsigned char* out, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->at + length > r->data->size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(out, r->data->data() + r->at, length);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

// ARGB32 premultiplied pixel at (x, y).
std::uint32_t Pixel(cairo_surface_t* s, int x, int y) {
  const unsigned char* row =
      cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
  std::uint32_t p;
  std::memcpy(&p, row + 4 * x, 4);
  return p;
}

bool IsRed(std::uint32_t p) {
  int a = p >> 24, r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
  return a > 200 && r > 180 && g < 60 && b < 60;
}

TEST(SealPictureTest, PngDecodesWithSizeAndRedRingAndStar) {
  const int px = 300;
  std::string png = SealPng("长沙市岳麓区行政审批服务局", "电子证照专用章", px);
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  if (const char* out = std::getenv("SEAL_PNG_OUT")) std::ofstream(out, std::ios::binary) << png;
  Reader reader{&png};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(Read, &reader);
  ASSERT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush(s);
  EXPECT_EQ(cairo_image_surface_get_width(s), px);
  EXPECT_EQ(cairo_image_surface_get_height(s), px);
  // The ring crosses the horizontal middle line near the left and right edges.
  const double d = px * 0.96, ring = d * 0.035;
  int left = static_cast<int>(px / 2.0 - d / 2 + ring / 2);
  int right = static_cast<int>(px / 2.0 + d / 2 - ring / 2);
  EXPECT_TRUE(IsRed(Pixel(s, left, px / 2))) << std::hex << Pixel(s, left, px / 2);
  EXPECT_TRUE(IsRed(Pixel(s, right, px / 2)));
  EXPECT_TRUE(IsRed(Pixel(s, px / 2, px / 2)));  // the star's centre
  EXPECT_EQ(Pixel(s, 1, 1) >> 24, 0u);           // transparent corner
  // Text drawn: many red pixels in the upper band (the name) and below the star (the title).
  int upper = 0, lower = 0;
  for (int y = 0; y < px; ++y) {
    for (int x = 0; x < px; ++x) {
      if (!IsRed(Pixel(s, x, y))) continue;
      double dx = x - px / 2.0, dy = y - px / 2.0;
      double dist = std::sqrt(dx * dx + dy * dy);
      if (dist > d / 2 - ring * 1.5) continue;  // the ring itself
      if (dy < -d * 0.2) ++upper;
      if (dy > d * 0.2 && dy < d * 0.35 && std::abs(dx) < d * 0.32) ++lower;
    }
  }
  EXPECT_GT(upper, 1500);
  EXPECT_GT(lower, 500);
  cairo_surface_destroy(s);
}

TEST(SealPictureTest, SizesAreClampedAndEmptyTextDrawsRingAndStar) {
  std::string png = SealPng("", "", 1);
  Reader reader{&png};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(Read, &reader);
  ASSERT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  EXPECT_EQ(cairo_image_surface_get_width(s), 16);
  cairo_surface_destroy(s);
}

}  // namespace
}  // namespace onestop::render
