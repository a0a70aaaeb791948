#include "ui_test_support.h"

#include <QFile>
#include <QTest>

#include <random>
#include <vector>

#include "core/io/zip_check.h"
#include "core/run/checkpoint_files.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"

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

namespace gan::ui::test {

void expectCompleteStoppedRun(const QString& run) {
  const std::filesystem::path folder = run.toStdString();
  const gan::RunManifest manifest = gan::read_manifest(folder);
  QCOMPARE(QString::fromStdString(manifest.status), QString("stopped"));
  const auto steps = gan::RunReader(folder).poll().steps;
  QVERIFY(!steps.empty());
  QCOMPARE(manifest.step, steps.back().step);
  QCOMPARE(static_cast<std::int64_t>(steps.size()), steps.back().step);  // every step's row, none twice
  const auto checkpoints = gan::list_checkpoints(folder);
  QVERIFY(!checkpoints.empty());
  QCOMPARE(gan::checkpoint_step(checkpoints.back()), manifest.step);
  QCOMPARE(QString::fromStdString(gan::zip_damage(checkpoints.back())), QString());
  QVERIFY(QFile::exists(run + "/model.pt"));
  QCOMPARE(QString::fromStdString(gan::zip_damage(folder / "model.pt")), QString());
}

}  // namespace gan::ui::test
