#include "catalog/qr_svg.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace onestop::catalog {

Result<QrCode> EncodeQr(std::string_view text) {
  errno = 0;
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      QRcode_free);
  if (qr == nullptr) {
    if (errno == ERANGE) {
      return InvalidArgument("catalog.qr_too_long", "内容过长（超过 2331 字节），无法生成二维码");
    }
    return Internal("catalog.qr_failed", "二维码生成失败");
  }
  QrCode code;
  code.version = qr->version;
  code.size = qr->width;
  code.dark.resize(static_cast<std::size_t>(qr->width) * static_cast<std::size_t>(qr->width));
  for (std::size_t i = 0; i < code.dark.size(); ++i) code.dark[i] = (qr->data[i] & 1) != 0;
  return code;
}

Result<std::string> QrSvg(std::string_view text, int module_px) {
  ASSIGN_OR_RETURN(QrCode code, EncodeQr(text));
  constexpr int kQuiet = 4;  // ISO/IEC 18004 quiet zone, in modules
  const int side = code.size + 2 * kQuiet;
  const std::string n = std::to_string(side), px = std::to_string(side * module_px);
  std::string path;
  // One "M x y h w v1 h-w z" per horizontal run of dark modules.
  for (int y = 0; y < code.size; ++y) {
    for (int x = 0; x < code.size;) {
      if (!code.At(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < code.size && code.At(x + run, y)) ++run;
      path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + n + " " + n +
         "\" width=\"" + px + "\" height=\"" + px +
         "\" shape-rendering=\"crispEdges\">\n<rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"" + path + "\"/>\n</svg>\n";
}

}  // namespace onestop::catalog
