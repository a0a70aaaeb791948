#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include "core/io/paths.h"
#include "core/model/device.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/window/main_window.h"
#include "ui/session/qt_types.h"

using gan::ui::HyperparameterPanel;

class HyperparameterPanelTest : public QObject {
  Q_OBJECT

 private:
  static QLineEdit* text(HyperparameterPanel& panel, const char* key) {
    return qobject_cast<QLineEdit*>(panel.field(key));
  }

 private slots:
  void initTestCase() { gan::ui::register_meta_types(); }

  void showsTheConfigItWasGiven() {
    HyperparameterPanel panel;
    gan::Config config;
    config.model.generator.hidden = {64, 128};
    config.optimizer.discriminator.lr = 0.0005;
    config.train.d_steps = 3;
    config.quality.interval = 500;
    config.quality.samples = 1000;
    config.alarms.warmup = 10;
    config.alarms.d_wins_real = 0.95;
    config.alarms.d_wins_fake = 0.05;
    config.alarms.d_wins_steps = 300;
    config.alarms.collapse_high = 0.4;
    config.alarms.collapse_low = 0.01;
    config.alarms.collapse_checks = 2;
    panel.setConfig(config);
    QCOMPARE(text(panel, "model.generator.hidden")->text(), QString("64, 128"));
    QCOMPARE(text(panel, "optimizer.discriminator.lr")->text(), QString("0.0005"));
    QCOMPARE(qobject_cast<QSpinBox*>(panel.field("train.d_steps"))->value(), 3);
    QVERIFY(panel.isValid());
    QCOMPARE(gan::to_yaml(panel.config()), gan::to_yaml(config));
  }

  void numbersOfEveryDigitComeBackExactly() {
    // Shown with 12 digits, these came back changed, and a fork refused its own run as "another model".
    HyperparameterPanel panel;
    gan::Config config;
    config.optimizer.generator.lr = 0.00012345678901234567;
    config.optimizer.generator.beta2 = 0.99999999999999989;  // the largest double below 1
    config.model.generator.batch_norm_eps = 0.1 + 0.2;        // 0.30000000000000004
    panel.setConfig(config);
    QVERIFY(panel.isValid());
    QCOMPARE(panel.config().optimizer.generator.lr, config.optimizer.generator.lr);
    QCOMPARE(panel.config().optimizer.generator.beta2, config.optimizer.generator.beta2);
    QCOMPARE(panel.config().model.generator.batch_norm_eps, config.model.generator.batch_norm_eps);
    QCOMPARE(text(panel, "optimizer.generator.lr")->text().toDouble(), config.optimizer.generator.lr);
    QCOMPARE(text(panel, "optimizer.discriminator.lr")->text(), QString("0.0002"));  // and short ones stay short
  }

  void theGeneratorsBatchNormSaysWhatItIsInEachFamily() {
    HyperparameterPanel panel;
    QVERIFY(qobject_cast<QCheckBox*>(panel.field("model.generator.batch_norm")) != nullptr);
    const QString mlp = panel.helpText("model.generator.batch_norm");
    QVERIFY2(mlp.contains("BatchNorm1d"), qPrintable(mlp));
    gan::Config config = panel.config();
    config.model.architecture = gan::Architecture::kDcgan;
    panel.setConfig(config);
    const QString dcgan = panel.helpText("model.generator.batch_norm");
    QVERIFY2(dcgan.contains("BatchNorm2d") && !dcgan.contains("BatchNorm1d"), qPrintable(dcgan));
  }

  void theDevicePickerListsEachDeviceByNameAndKeepsAForeignOne() {
    HyperparameterPanel panel;
    auto* device = qobject_cast<QComboBox*>(panel.field("train.device"));
    QVERIFY(device);
    // auto, then every device this machine has, by id and name.
    const std::vector<gan::DeviceInfo> devices = gan::available_devices();
    QCOMPARE(device->count(), 1 + static_cast<int>(devices.size()));
    QCOMPARE(device->itemData(0).toString(), QString("auto"));
    for (std::size_t i = 0; i < devices.size(); ++i) {
      const int item = static_cast<int>(i) + 1;
      QCOMPARE(device->itemData(item).toString(), QString::fromStdString(devices[i].id));
      QVERIFY2(device->itemText(item).contains(QString::fromStdString(devices[i].name)), qPrintable(device->itemText(item)));
    }
    gan::Config config;
    config.train.device = gan::DeviceChoice::kCpu;
    panel.setConfig(config);
    QCOMPARE(device->currentData().toString(), QString("cpu"));
    QCOMPARE(panel.config().train.device, gan::DeviceChoice::kCpu);
    // A config from a machine with more GPUs: shown as such and kept, so the run is refused with the
    // reason (not silently moved to another device).
    config.train.device = gan::DeviceChoice::cuda(7);
    panel.setConfig(config);
    QVERIFY2(device->currentText().contains("not on this machine"), qPrintable(device->currentText()));
    QCOMPARE(panel.config().train.device, gan::DeviceChoice::cuda(7));
    // How the step is issued travels with the config both ways (a GPU config opened on a laptop
    // keeps asking for its CUDA graph).
    for (const gan::StepChoice step : {gan::StepChoice::kGraph, gan::StepChoice::kEager, gan::StepChoice::kAuto}) {
      config.train.step = step;
      panel.setConfig(config);
      QCOMPARE(panel.config().train.step, step);
    }
  }

  void rejectsAnInvalidValueAtTheFieldWithItsRange() {
    HyperparameterPanel panel;
    QSignalSpy validity(&panel, &HyperparameterPanel::validityChanged);
    text(panel, "model.generator.hidden")->setText("128, 0");
    QVERIFY(!panel.isValid());
    QCOMPARE(validity.count(), 1);
    QVERIFY(panel.errorText().startsWith("model.generator.hidden: "));
    QVERIFY2(panel.errorText().contains("between 1 and 16777216"), qPrintable(panel.errorText()));
    QVERIFY(!panel.field("model.generator.hidden")->styleSheet().isEmpty());

    text(panel, "model.generator.hidden")->setText("128, 256");
    QVERIFY(panel.isValid());
    QVERIFY(panel.field("model.generator.hidden")->styleSheet().isEmpty());

    text(panel, "optimizer.generator.lr")->setText("fast");
    QVERIFY(panel.errorText().contains("expected a number"));
    text(panel, "optimizer.generator.lr")->setText("2");
    QVERIFY2(panel.errorText().contains("in (0, 1]"), qPrintable(panel.errorText()));
    text(panel, "optimizer.generator.lr")->setText("0.001");
    QVERIFY(panel.isValid());
    QCOMPARE(panel.config().optimizer.generator.lr, 0.001);
  }

  void invalidValueDisablesStart() {
    gan::ui::MainWindow window;
    QVERIFY(window.startAction()->isEnabled());
    qobject_cast<QLineEdit*>(window.panel()->field("model.discriminator.dropout"))->setText("1.5");
    QVERIFY(!window.startAction()->isEnabled());
    QVERIFY(window.startAction()->toolTip().contains("model.discriminator.dropout"));
    qobject_cast<QLineEdit*>(window.panel()->field("model.discriminator.dropout"))->setText("0.3");
    QVERIFY(window.startAction()->isEnabled());
  }

  void locksModelShapeButNotOptimizerDuringARun() {
    HyperparameterPanel panel;
    panel.setRunActive(true);
    QVERIFY(!panel.field("model.generator.hidden")->isEnabled());
    QVERIFY(!panel.field("train.batch_size")->isEnabled());
    QVERIFY(panel.field("optimizer.generator.lr")->isEnabled());
    QVERIFY(panel.field("train.d_steps")->isEnabled());
    panel.setRunActive(false);
    QVERIFY(panel.field("model.generator.hidden")->isEnabled());
  }

  void greysOutWhatTheChosenFamilyDoesNotUse() {
    HyperparameterPanel panel;
    QVERIFY(panel.field("model.generator.hidden")->isEnabled());
    QVERIFY(!panel.field("model.generator.channels")->isEnabled());
    QVERIFY(!panel.field("model.gp_lambda")->isEnabled());
    QVERIFY(!panel.field("alarms.confidence_low")->isEnabled());
    gan::Config config = panel.config();
    config.model.architecture = gan::Architecture::kDcgan;
    config.model.loss = gan::Loss::kWganGp;
    config.model.discriminator.batch_norm = false;
    config.model.conditional = true;
    panel.setConfig(config);
    QVERIFY(panel.isValid());
    QVERIFY(!panel.field("model.generator.hidden")->isEnabled());
    QVERIFY(panel.field("model.generator.channels")->isEnabled());
    QVERIFY(panel.field("model.gp_lambda")->isEnabled());
    QVERIFY(panel.field("alarms.confidence_low")->isEnabled());
    QVERIFY(!panel.field("alarms.collapse_high")->isEnabled());
    QVERIFY(!panel.field("alarms.d_wins_steps")->isEnabled());  // a critic's scores have no "certain" end
    QCOMPARE(panel.config().model.architecture, gan::Architecture::kDcgan);
  }

  void announcesLiveChangesOnlyDuringARun() {
    HyperparameterPanel panel;
    QSignalSpy live(&panel, &HyperparameterPanel::liveHyperparametersChanged);
    text(panel, "optimizer.generator.lr")->setText("0.001");
    emit text(panel, "optimizer.generator.lr")->editingFinished();
    QCOMPARE(live.count(), 0);
    panel.setRunActive(true);
    text(panel, "optimizer.generator.lr")->setText("0.003");
    emit text(panel, "optimizer.generator.lr")->editingFinished();
    QCOMPARE(live.count(), 1);
    const auto values = live.takeFirst().at(0).value<gan::LiveHyperparameters>();
    QCOMPARE(values.generator.lr, 0.003);
    QCOMPARE(values.generator.beta2, 0.999);
    emit text(panel, "optimizer.generator.lr")->editingFinished();  // nothing changed: no signal
    QCOMPARE(live.count(), 0);
    qobject_cast<QSpinBox*>(panel.field("train.d_steps"))->setValue(2);
    QCOMPARE(live.count(), 1);
  }

  void presetsLoadFromThePresetFolder() {
    HyperparameterPanel panel;
    panel.setPresetFolder(QString::fromStdString(gan::presets_folder().string()));
    auto* combo = panel.findChild<QComboBox*>();
    const int index = combo->findText("course-report");
    QVERIFY(index > 0);
    combo->setCurrentIndex(index);
    emit combo->activated(index);
    QCOMPARE(text(panel, "model.discriminator.hidden")->text(), QString("4096, 2048, 1024, 512, 256"));
    QCOMPARE(panel.presetName(), QString("course-report"));
  }
};

QTEST_MAIN(HyperparameterPanelTest)
#include "hyperparameter_panel_test.moc"
