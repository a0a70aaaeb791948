#include "ui/session/qt_types.h"

#include <cstring>

namespace gan::ui {

void register_meta_types() {
  qRegisterMetaType<gan::StepRecord>();
  qRegisterMetaType<gan::InsideRecord>();
  qRegisterMetaType<QVector<gan::StepRecord>>();
  qRegisterMetaType<gan::Progress>();
  qRegisterMetaType<gan::RunInfo>();
  qRegisterMetaType<gan::LiveHyperparameters>();
  qRegisterMetaType<gan::RunState>();
  qRegisterMetaType<gan::QualityRecord>();
  qRegisterMetaType<gan::JudgeReference>();
  qRegisterMetaType<gan::Alarm>();
  qRegisterMetaType<gan::Config>();
}

QImage to_qimage(const Image& image) {
  QImage result(image.width, image.height, image.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
  const auto row_bytes = static_cast<std::size_t>(image.width) * image.channels;
  for (int y = 0; y < image.height; ++y) {  // QImage pads its rows to 4 bytes: copy row by row
    std::memcpy(result.scanLine(y), image.pixels.data() + y * row_bytes, row_bytes);
  }
  return result;
}

Image to_image(const QImage& image) {
  const bool colour = !image.isGrayscale();
  const QImage converted = image.convertToFormat(colour ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
  Image result;
  result.width = converted.width();
  result.height = converted.height();
  result.channels = colour ? 3 : 1;
  const auto row_bytes = static_cast<std::size_t>(result.width) * result.channels;
  result.pixels.resize(row_bytes * result.height);
  for (int y = 0; y < result.height; ++y) std::memcpy(result.pixels.data() + y * row_bytes, converted.constScanLine(y), row_bytes);
  return result;
}

}  // namespace gan::ui
