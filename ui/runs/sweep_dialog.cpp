#include "ui/runs/sweep_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/io/number_text.h"

namespace gan::ui {

SweepDialog::SweepDialog(const gan::ConfigField& field, const gan::Config& config, QWidget* parent)
    : QDialog(parent), field_(field) {
  setWindowTitle(tr("Sweep %1").arg(QString::fromStdString(field.label)));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Train one run per value of <b>%1</b> (%2), everything else as in the panel, and "
                              "compare them in the runs view.")
                               .arg(QString::fromStdString(field.key), QString::fromStdString(field.help)));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* form = new QFormLayout;
  values_ = new QLineEdit;
  values_->setToolTip(field.type == gan::FieldType::kWidths
                          ? tr("Layer width lists separated by ';', e.g. [256, 512]; [512, 1024]")
                          : tr("Values separated by commas, e.g. 0.0001, 0.0002, 0.0004"));
  steps_ = new QSpinBox;
  steps_->setRange(100, 10'000'000);
  steps_->setSingleStep(1000);
  steps_->setValue(5000);
  steps_->setSuffix(tr(" steps"));
  parallel_ = new QSpinBox;
  parallel_->setRange(1, 16);
  parallel_->setToolTip(tr("Runs training at once; on a CPU one run already uses every core"));
  form->addRow(tr("Values"), values_);
  form->addRow(tr("Each run"), steps_);
  form->addRow(tr("At once"), parallel_);
  layout->addLayout(form);
  summary_ = new QLabel;
  error_ = new QLabel;
  error_->setWordWrap(true);
  error_->setStyleSheet("color: #d62728;");
  error_->hide();
  layout->addWidget(summary_);
  layout->addWidget(error_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Start sweep"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  connect(values_, &QLineEdit::textChanged, this, &SweepDialog::updateSummary);
  connect(steps_, &QSpinBox::valueChanged, this, &SweepDialog::updateSummary);
  values_->setText(suggestedValues(field, config).join(field.type == gan::FieldType::kWidths ? "; " : ", "));
}

QStringList SweepDialog::suggestedValues(const gan::ConfigField& field, const gan::Config& config) {
  const gan::FieldValue value = field.get(config);
  QStringList values;
  auto add_if_allowed = [&](const gan::FieldValue& candidate, const std::string& text) {
    if (field.check(candidate).empty() && !values.contains(QString::fromStdString(text))) values << QString::fromStdString(text);
  };
  switch (field.type) {
    case gan::FieldType::kNumber: {
      const double v = std::get<double>(value);
      for (const double f : {0.5, 1.0, 2.0}) add_if_allowed(v * f, gan::general_text(v * f, 6));
      break;
    }
    case gan::FieldType::kInteger: {
      const std::int64_t v = std::get<std::int64_t>(value);
      for (const std::int64_t d : {-1, 0, 1}) add_if_allowed(v + d, std::to_string(v + d));
      break;
    }
    case gan::FieldType::kBool: values << "false" << "true"; break;
    case gan::FieldType::kChoice:
      for (const auto& choice : field.choices) values << QString::fromStdString(choice);
      break;
    default: values << QString::fromStdString(field.text(config)); break;
  }
  return values;
}

QStringList SweepDialog::values() const {
  const QString text = values_->text();
  const QRegularExpression separator(field_.type == gan::FieldType::kWidths ? QStringLiteral(";") : QStringLiteral("[,;]"));
  QStringList values;
  for (const QString& part : text.split(separator, Qt::SkipEmptyParts)) {
    if (!part.trimmed().isEmpty()) values << part.trimmed();
  }
  return values;
}

void SweepDialog::setValues(const QString& text) { values_->setText(text); }
qint64 SweepDialog::maxSteps() const { return steps_->value(); }
int SweepDialog::parallel() const { return parallel_->value(); }

void SweepDialog::showError(const QString& message) {
  error_->setText(message);
  error_->setVisible(!message.isEmpty());
}

void SweepDialog::updateSummary() {
  const auto count = values().size();
  summary_->setText(tr("%n run(s) of %1 steps", nullptr, static_cast<int>(count)).arg(steps_->value()));
  showError({});
}

}  // namespace gan::ui
