// QR codes for the guide pages (一事一码): the code that opens an item's or a bundle's guide,
// drawn as a crisp SVG with the standard 4-module quiet zone. Encoding is libqrencode's (byte
// mode, error correction level M); this file only draws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace onestop::catalog {

struct QrCode {
  int version = 0;         // 1–40
  int size = 0;            // modules per side: 17 + 4 × version
  std::vector<bool> dark;  // size × size, row by row

  bool At(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// The smallest QR code (level M) holding `text` as bytes.
// kInvalidArgument catalog.qr_too_long beyond 2331 bytes (version 40-M).
Result<QrCode> EncodeQr(std::string_view text);

// EncodeQr(text) as an SVG document: one path of dark modules on a white square, viewBox in
// modules (size + 8 with the quiet zone), `module_px` pixels per module for width and height.
Result<std::string> QrSvg(std::string_view text, int module_px = 4);

}  // namespace onestop::catalog
