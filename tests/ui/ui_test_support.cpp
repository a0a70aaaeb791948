#include "ui_test_support.h"

#include <QFile>

#include <random>
#include <vector>

namespace gan::ui::test {
namespace {

void writeIdx(const QString& path, const std::vector<quint32>& dims, const std::vector<quint8>& data) {
  QByteArray bytes;
  bytes.append(char(0)).append(char(0)).append(char(0x08)).append(char(dims.size()));
  for (quint32 dim : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.append(char((dim >> shift) & 0xff));
  }
  bytes.append(reinterpret_cast<const char*>(data.data()), static_cast<qsizetype>(data.size()));
  QFile file(path);
  file.open(QIODevice::WriteOnly);
  file.write(bytes);
}

}  // namespace

TinyData::TinyData() {
  std::mt19937 random(7);
  std::vector<quint8> pixels(128 * 64);
  for (auto& p : pixels) p = static_cast<quint8>(random() & 0xff);
  writeIdx(dir_.filePath("train-images-idx3-ubyte"), {128, 8, 8}, pixels);
  writeIdx(dir_.filePath("train-labels-idx1-ubyte"), {128}, std::vector<quint8>(128, 0));
}

gan::Config tinyConfig(const TinyData& data) {
  gan::Config config;
  config.data.dataset = "idx";
  config.data.path = data.path().toStdString();
  config.model.latent_dim = 8;
  config.model.generator.hidden = {16, 32};
  config.model.discriminator.hidden = {32};
  config.train.batch_size = 16;
  config.train.epochs = 100000;
  config.train.device = gan::DeviceChoice::kCpu;
  config.sampling.interval = 20;
  config.sampling.grid = 3;
  return config;
}

}  // namespace gan::ui::test
