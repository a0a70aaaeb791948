// Several runs' sample grids side by side at the same step, under one timeline slider: each run
// shows its newest grid at or before the slider's step, labelled with what sets it apart.
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

class QLabel;
class QSlider;
class QGridLayout;

namespace gan::ui {

class CompareSamples : public QWidget {
  Q_OBJECT

 public:
  struct Run {
    QString folder;
    QString label;
    QColor colour;
  };
  explicit CompareSamples(QWidget* parent = nullptr);

  /// Shows these runs (re-reading their samples/ folders); the slider spans every step any has.
  void setRuns(const std::vector<Run>& runs);
  /// Moves the shared timeline to `step` (the newest sample step at or before it).
  void setStep(qint64 step);
  qint64 step() const;
  /// The step of the grid run `i` shows now (-1: none yet); for tests.
  qint64 shownStep(int i) const;
  QSlider* slider() const { return slider_; }

 private:
  void showStep();

  struct Shown {
    Run run;
    QVector<qint64> steps;  // ascending
    QLabel* image = nullptr;
    QLabel* caption = nullptr;
    qint64 shown = -1;
  };
  std::vector<Shown> shown_;
  QVector<qint64> all_steps_;  // the union, ascending: the slider's positions
  QGridLayout* grid_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* step_label_ = nullptr;
};

}  // namespace gan::ui
