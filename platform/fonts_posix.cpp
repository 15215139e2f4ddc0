#include "platform/fonts.h"
#include "platform/paths.h"

namespace gocua {

// Debian's fonts-noto-core and fonts-dejavu-core (tools/deps.sh installs both).
std::vector<std::string> VietnameseFontFiles() {
  return ExistingFontFiles(
      {
          "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
          "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "/usr/share/fonts/TTF/DejaVuSans.ttf",
          "/usr/share/fonts/noto/NotoSans-Regular.ttf",
      },
      ExecutableDir());
}

std::string MissingFontAdvice() {
  return "Không tìm thấy phông chữ tiếng Việt: hãy cài gói fonts-noto-core. / No Vietnamese font "
         "found: install the fonts-noto-core package.";
}

}  // namespace gocua
