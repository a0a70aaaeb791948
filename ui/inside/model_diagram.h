// The model, drawn (inside view's Model tab), after GAN Lab's overview: z (+ label) → G's blocks →
// fake → D's blocks ← real, with D's verdicts and the two losses of the latest step. Each block
// box (a layer with weights and what follows it: model_summary.h) takes its colour from its
// weight's gradient norm in the latest window of the inside figures; a click on a box shows the
// block below the diagram: its figures, its activations on the fixed noise batch and its weight
// histogram.
#pragma once

#include <QRect>
#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

#include "core/model/model_summary.h"
#include "core/run/observer.h"

namespace gan::ui {

class ModelDiagram : public QWidget {
  Q_OBJECT

 public:
  explicit ModelDiagram(QWidget* parent = nullptr);

  /// The networks block by block; a block selected before stays selected when it is still there.
  /// A summary that could not be measured (its error set) keeps the last one drawn and says why.
  void setSummary(const gan::ModelSummary& summary);
  /// Why the latest summary could not be measured; empty when it could.
  QString error() const { return error_; }
  /// The latest window of the inside figures: the boxes' colours and the selected block's figures.
  void setInside(const gan::InsideRecord& record);
  /// The latest step: D's verdicts and the losses beside D's output.
  void setLatestStep(const gan::StepRecord& step);
  void clear();
  bool hasSummary() const { return summary_.has_value(); }

  /// Selects block `index` of network "G" or "D" (what a click does); -1 selects none.
  void selectBlock(const QString& network, int index);
  /// The selected block, or nullptr.
  const gan::BlockSummary* selectedBlock() const;
  /// Where block `index` of "G" or "D" is drawn (empty when it is not): for tests and clicks.
  QRect blockRect(const QString& network, int index) const;
  /// The colour a gradient norm gives a box (grey without a figure).
  static QColor gradientColor(std::optional<double> norm);
  /// The gradient norm the box of `block` shows, from the latest window; nullopt without one.
  std::optional<double> gradientNorm(const gan::BlockSummary& block) const;

  QSize sizeHint() const override { return {900, 420}; }

 signals:
  /// A box was clicked: the caller asks for a fresh summary, so the details are of now.
  void blockSelected(const QString& network, int index);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  struct Layout {
    QRect diagram;  // the two rows and their nodes
    QRect details;  // the selected block below
    std::vector<QRect> generator, discriminator;
    QRect noise, fake, real, verdict;
  };
  Layout layout() const;
  const gan::ParameterFigures* figures(const gan::BlockSummary& block) const;
  void paintBlock(QPainter& painter, const gan::BlockSummary& block, const QRect& box, bool selected) const;
  void paintDetails(QPainter& painter, const QRect& area) const;
  void paintLegend(QPainter& painter, const QRect& area) const;

  std::optional<gan::ModelSummary> summary_;
  QString error_;
  std::optional<gan::InsideRecord> inside_;
  std::optional<gan::StepRecord> latest_;
  QString selected_network_;
  int selected_index_ = -1;
};

}  // namespace gan::ui
