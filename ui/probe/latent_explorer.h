// Walk the latent space (the "Picked digit" dock's second tab): a digit picked on the sample grid,
// moved by sliders along six directions through its noise vector z — the directions its picture
// changes most along at that z (G's Jacobian's top singular vectors), or random orthonormal ones —
// scaled by a truncation slider, and for a conditional model written as another digit or morphed
// between two digits' label embeddings. Every move redraws the digit (one G forward pass; a few
// ms on the CPU). The digit, or a sweep along one slider, exports as PNG or animated GIF.
#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QVector>
#include <QWidget>

#include <vector>

#include "core/model/probe.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace gan::ui {

class LatentExplorer : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kSliders = 6;
  static constexpr double kSliderReach = 3.0;  ///< each slider moves z from -3 to 3 along its direction
  static constexpr int kSweepFrames = 25;
  /// Why digits were asked for (drawRequested, setDrawn).
  enum Purpose { kRedraw = 0, kSweep = 1 };

  explicit LatentExplorer(QWidget* parent = nullptr);

  /// Starts from sample-grid cell `grid_index`: asks for its point and directions (pickRequested).
  void pick(int grid_index);
  int gridIndex() const { return grid_index_; }
  /// The answer to pickRequested: sliders to 0, truncation to 1, the digit as drawn.
  void setPick(const gan::LatentPick& pick);
  /// The answer to drawRequested.
  void setDrawn(const std::vector<gan::LatentPoint>& points, const QVector<QImage>& digits, int purpose);
  void setNoModel(const QString& why);

  /// Where the sliders put the point now.
  gan::LatentPoint currentPoint() const;
  /// The digit on display (the latest drawn for the current point).
  QImage currentDigit() const { return digit_; }
  const gan::LatentPick& picked() const { return pick_; }
  /// Slider `index` to `value` (in units of z, -3..3), as a drag would; for tests and keys.
  void setSlider(int index, double value);
  void setTruncation(double value);
  /// A conditional model: the digit asked for, and a second to morph towards (-1: none) by `morph` (0..1).
  void setLabels(int label, int morph_to, double morph);
  void setDirections(gan::LatentDirections kind);
  /// Writes the current digit to `path` (PNG, the model's size). Returns an error, or empty.
  QString exportPng(const QString& path);
  /// Asks for a sweep of slider `slider` from -3 to 3 (the others where they are), written to
  /// `path` as an animated GIF (4x enlarged) when it arrives; exported() tells.
  void exportSweep(const QString& path, int slider);

 signals:
  void pickRequested(int grid_index, int directions, gan::LatentDirections kind, quint64 seed);
  void drawRequested(const std::vector<gan::LatentPoint>& points, int purpose);
  /// An export was written (path) or failed (error).
  void exported(const QString& path, const QString& error);

 private:
  void redraw();
  void showDigit();
  void updateLabels();
  void saveDigit();
  void saveSweep();

  QLabel* digit_label_;
  QLabel* caption_;
  QComboBox* directions_;
  QVector<QSlider*> sliders_;
  QVector<QLabel*> slider_labels_;
  QSlider* truncation_;
  QLabel* truncation_label_;
  QWidget* conditional_;
  QComboBox* label_;
  QComboBox* morph_to_;
  QSlider* morph_;
  QSpinBox* sweep_slider_;
  QPushButton* reset_;
  QPushButton* save_png_;
  QPushButton* save_gif_;

  int grid_index_ = -1;
  gan::LatentPick pick_;
  QImage digit_;
  bool drawing_ = false;     // a redraw is on its way
  bool dirty_ = false;       // the sliders moved meanwhile: draw again when it comes
  QElapsedTimer asked_;      // a redraw lost on the way (the model went) must not block the next
  QString sweep_path_;
  bool updating_ = false;    // setting the controls from code: no redraws
};

}  // namespace gan::ui
