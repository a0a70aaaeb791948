#include "ui/qt_types.h"

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

QImage to_qimage(const GrayImage& image) {
  QImage result(image.width, image.height, QImage::Format_Grayscale8);
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(result.scanLine(y), image.pixels.data() + static_cast<std::size_t>(y) * image.width,
                static_cast<std::size_t>(image.width));
  }
  return result;
}

GrayImage to_gray_image(const QImage& image) {
  const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
  GrayImage result;
  result.width = gray.width();
  result.height = gray.height();
  result.pixels.resize(static_cast<std::size_t>(result.width) * result.height);
  for (int y = 0; y < result.height; ++y) {
    std::memcpy(result.pixels.data() + static_cast<std::size_t>(y) * result.width, gray.constScanLine(y),
                static_cast<std::size_t>(result.width));
  }
  return result;
}

}  // namespace gan::ui
