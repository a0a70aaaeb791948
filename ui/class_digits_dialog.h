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
  void showDigits(int label, const QVector<QImage>& digits, double share);
  int label() const { return label_; }
  int digitCount() const { return count_; }

 private:
  QLabel* caption_;
  QLabel* grid_;
  int label_ = -1;
  int count_ = 0;
};

}  // namespace gan::ui
