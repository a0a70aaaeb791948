#include "ui/samples/class_digits_dialog.h"

#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>

#include <algorithm>

namespace gan::ui {
namespace {

constexpr int kColumns = 8;
constexpr int kDigitScale = 3;  // 28 px digits drawn at 84 px, without smoothing
constexpr int kSheetGap = 2;

}  // namespace

ClassDigitsDialog::ClassDigitsDialog(QWidget* parent) : QDialog(parent) {
  caption_ = new QLabel(this);
  caption_->setWordWrap(true);
  grid_ = new QLabel(this);
  grid_->setAlignment(Qt::AlignCenter);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(caption_);
  layout->addWidget(grid_, 1);
}

void ClassDigitsDialog::showDigits(int label, const QVector<QImage>& digits, double share, bool asked) {
  label_ = label;
  count_ = static_cast<int>(digits.size());
  setWindowTitle(asked ? tr("Digit %1, as asked").arg(label) : tr("Digits the judge calls %1").arg(label));
  if (asked) {
    caption_->setText(share < 0 ? tr("%1 digits the generator draws when asked for a %2:").arg(digits.size()).arg(label)
                                : tr("%1 digits the generator draws when asked for a %2; the judge takes %3% of them "
                                     "for a %2:")
                                      .arg(digits.size())
                                      .arg(label)
                                      .arg(share * 100, 0, 'f', 1));
  } else if (share < 0) {
    caption_->setText(tr("There is no judge for this dataset (it needs labelled training images), so no digits can "
                         "be sorted by class."));
    grid_->clear();
  } else if (digits.isEmpty()) {
    caption_->setText(tr("The generator draws no digit the judge calls %1 in its evaluation batch.").arg(label));
    grid_->clear();
  } else {
    caption_->setText(tr("%1% of the evaluation batch look like a %2 to the judge. The first %3, as the current "
                         "generator draws them:")
                          .arg(share * 100, 0, 'f', 1)
                          .arg(label)
                          .arg(digits.size()));
  }
  if (!digits.isEmpty()) {
    const QSize cell = digits.front().size() * kDigitScale;
    const int rows = (count_ + kColumns - 1) / kColumns;
    const int columns = std::min(count_, kColumns);
    QPixmap sheet(columns * (cell.width() + kSheetGap) + kSheetGap, rows * (cell.height() + kSheetGap) + kSheetGap);
    sheet.fill(QColor(0x40, 0x40, 0x40));
    QPainter painter(&sheet);
    for (int i = 0; i < count_; ++i) {
      const QPoint at(kSheetGap + (i % kColumns) * (cell.width() + kSheetGap), kSheetGap + (i / kColumns) * (cell.height() + kSheetGap));
      painter.drawImage(QRect(at, cell), digits[i]);
    }
    painter.end();
    grid_->setPixmap(sheet);
  }
  adjustSize();
  show();
  raise();
}

}  // namespace gan::ui
