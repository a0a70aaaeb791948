// The picture decoders (PNG by libpng, JPEG by libjpeg-turbo) through the folder reader's own entry
// point: every input is either decoded to the size and channels asked, or refused with
// DecodeError. A longjmp out of either library must leave nothing behind (LeakSanitizer), and no
// declared size may make the decoder allocate for the full picture.
#include "core/data/image_decode.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const auto& [side, channels] : {std::pair{28, 1}, std::pair{5, 3}}) {
    try {
      const gan::DecodedImage image = gan::decode_image(data, size, side, channels);
      if (image.pixels.size() != static_cast<std::size_t>(side * side * channels)) gan::fuzz::unexpected("wrong pixel count");
      if (image.source_width == 0 || image.source_height == 0) gan::fuzz::unexpected("an empty picture decoded");
    } catch (const gan::DecodeError&) {
    } catch (const std::exception& e) {
      gan::fuzz::unexpected(e.what());
    }
  }
  return 0;
}
