// Tiny IDX data and configs for the UI tests, so they train in milliseconds without MNIST.
#pragma once

#include <QString>
#include <QTemporaryDir>

#include "core/config/config.h"

namespace gan::ui::test {

/// A temporary folder holding 128 random 8x8 images as IDX files; removed with the object.
class TinyData {
 public:
  TinyData();
  QString path() const { return dir_.path(); }

 private:
  QTemporaryDir dir_;
};

/// A small CPU config training on `data`.
gan::Config tinyConfig(const TinyData& data);

/// Fails the calling test unless the run folder `run` was stopped and left whole: status stopped
/// in its manifest, the final checkpoint at the step its metrics end with, model.pt complete.
/// What "closing mid-run returns promptly" must leave behind, beyond returning at all.
void expectCompleteStoppedRun(const QString& run);

}  // namespace gan::ui::test
