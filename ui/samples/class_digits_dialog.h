// A window with the generated digits the judge puts in one class: what a click on a histogram bar
// opens, so that "digit 3 takes 54%" can be seen, not just read.
#pragma once

#include <QDialog>
#include <QImage>
#include <QVector>

class QLabel;

namespace gan::ui {

class ClassDigitsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ClassDigitsDialog(QWidget* parent = nullptr);

  /// Shows `digits` (all of class `label`, which has `share` of the evaluation batch) in a grid;
  /// a negative share: there is no judge to sort digits by class.
  /// `asked`: a conditional model drew the digits asked for `label`, and `share` is how many of them
  /// the judge takes for it; otherwise they are the evaluation batch's digits the judge calls `label`.
  void showDigits(int label, const QVector<QImage>& digits, double share, bool asked = false);
  int label() const { return label_; }
  int digitCount() const { return count_; }

 private:
  QLabel* caption_;
  QLabel* grid_;
  int label_ = -1;
  int count_ = 0;
};

}  // namespace gan::ui
