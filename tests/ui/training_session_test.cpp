// LibTorch before Qt: Qt's `slots` macro would rewrite LibTorch's headers (this test writes a
// diverged model's checkpoint, and stands in for the judge's loader).
#include <torch/types.h>

#include "core/data/dataset.h"
#include "core/judge/judge.h"
#include "core/judge/judge_loader.h"
#include "core/model/gan.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <limits>
#include <optional>
#include <thread>
#include <utility>

#include "ui/session/training_session.h"
#include "ui_test_support.h"

using gan::ui::TrainingSession;

namespace {

// `steps` steps of `config` trained into `folder` by a session of its own, gone once it returns:
// a run folder with checkpoints for a test to open. False when the run did not end in time.
bool trainRun(const gan::Config& config, const QString& folder, qint64 steps) {
  TrainingSession session;
  QSignalSpy finished(&session, &TrainingSession::finished);
  session.start(config, folder, steps);
  return finished.wait(120000);
}

}  // namespace

class TrainingSessionTest : public QObject {
  Q_OBJECT

 private:
  // Judge loaders open with Judge::open again when a test that stood in for it ends, passed or not.
  struct StandInJudge {
    ~StandInJudge() { gan::JudgeLoader::set_opener_for_tests({}); }
  };

  // The highest step reported so far.
  static qint64 lastStep(const QSignalSpy& steps) {
    if (steps.isEmpty()) return 0;
    return steps.last().at(1).value<gan::Progress>().step;
  }

 private slots:
  void initTestCase() { gan::ui::register_meta_types(); }

  void deliversProgressAndSamples() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    TrainingSession session;
    QSignalSpy started(&session, &TrainingSession::started);
    QSignalSpy steps(&session, &TrainingSession::stepsReady);
    QSignalSpy samples(&session, &TrainingSession::sampleReady);
    QSignalSpy finished(&session, &TrainingSession::finished);
    session.start(gan::ui::test::tinyConfig(data), runs.filePath("run"), 50);
    QVERIFY(session.isActive());
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().at(0).value<gan::RunState>(), gan::RunState::kFinished);
    QVERIFY(!session.isActive());
    QCOMPARE(started.count(), 1);
    QCOMPARE(started.first().at(0).value<gan::RunInfo>().total_steps, 50);
    qint64 reported = 0;
    for (const auto& call : steps) reported += call.at(0).value<QVector<gan::StepRecord>>().size();
    QCOMPARE(reported, 50);
    QCOMPARE(lastStep(steps), 50);
    // Before training, at 20 and 40, and at the end.
    QCOMPARE(samples.count(), 4);
    const QImage grid = samples.last().at(1).value<QImage>();
    QCOMPARE(grid.size(), QSize(3 * 10 + 2, 3 * 10 + 2));
    QCOMPARE(grid.format(), QImage::Format_Grayscale8);
    QVERIFY(QFile::exists(runs.filePath("run/metrics.csv")));
    QVERIFY(QFile::exists(runs.filePath("run/model.pt")));
  }

  void pauseHoldsAndStepAdvancesExactlyOne() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    TrainingSession session;
    QSignalSpy steps(&session, &TrainingSession::stepsReady);
    QSignalSpy states(&session, &TrainingSession::stateChanged);
    QSignalSpy finished(&session, &TrainingSession::finished);
    session.start(gan::ui::test::tinyConfig(data), runs.filePath("run"));
    QTRY_VERIFY_WITH_TIMEOUT(lastStep(steps) >= 5, 120000);
    session.pause();
    QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty() && states.last().at(0).value<gan::RunState>() == gan::RunState::kPaused,
                             120000);
    QTest::qWait(50);  // any batch read back before the pause has arrived
    const qint64 paused_at = lastStep(steps);
    QTest::qWait(200);
    QCOMPARE(lastStep(steps), paused_at);

    session.stepOnce();
    QTRY_COMPARE_WITH_TIMEOUT(lastStep(steps), paused_at + 1, 120000);
    QTest::qWait(200);
    QCOMPARE(lastStep(steps), paused_at + 1);

    session.resume();
    QTRY_VERIFY_WITH_TIMEOUT(lastStep(steps) > paused_at + 20, 120000);
    session.stop();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().at(0).value<gan::RunState>(), gan::RunState::kStopped);
  }

  void learningRateChangeReachesTheTrainer() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    TrainingSession session;
    QSignalSpy steps(&session, &TrainingSession::stepsReady);
    QSignalSpy applied(&session, &TrainingSession::hyperparametersApplied);
    QSignalSpy finished(&session, &TrainingSession::finished);
    const gan::Config config = gan::ui::test::tinyConfig(data);
    session.start(config, runs.filePath("run"));
    QTRY_VERIFY_WITH_TIMEOUT(lastStep(steps) >= 3, 120000);
    gan::LiveHyperparameters values{config.optimizer.generator, config.optimizer.discriminator, config.train.d_steps};
    values.discriminator.lr = 0.00005;
    session.setHyperparameters(values);
    QVERIFY(applied.wait(120000));
    const auto reached = applied.first().at(1).value<gan::LiveHyperparameters>();
    QCOMPARE(reached.discriminator.lr, 0.00005);
    QCOMPARE(reached.generator.lr, config.optimizer.generator.lr);
    QVERIFY(applied.first().at(0).toLongLong() >= 3);
    session.stop();
    QVERIFY(finished.wait(120000));
    // The change is on record in the run folder too.
    QFile events(runs.filePath("run/events.csv"));
    QVERIFY(events.open(QIODevice::ReadOnly));
    QVERIFY(events.readAll().contains("d_lr=5e-05"));
  }

  void loadsAnyCheckpointForExports() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    gan::Config config = gan::ui::test::tinyConfig(data);
    config.checkpoint.interval = 10;
    QVERIFY(trainRun(config, runs.filePath("run"), 30));
    TrainingSession session;
    QSignalSpy loaded(&session, &TrainingSession::modelLoaded);
    QSignalSpy failed(&session, &TrainingSession::modelLoadFailed);
    session.loadModel(runs.filePath("run/checkpoints/step_0000020.pt"));
    QVERIFY(loaded.wait(120000));
    QCOMPARE(loaded.first().at(0).toLongLong(), 20);
    QVERIFY(session.hasModel());
    QSignalSpy digits(&session, &TrainingSession::digitsReady);
    session.requestDigits(3);
    QVERIFY(digits.wait(120000));
    QCOMPARE(digits.first().at(0).value<QVector<QImage>>().size(), 3);

    session.loadModel(runs.filePath("run"));  // a folder: its newest checkpoint
    QVERIFY(loaded.wait(120000));
    QCOMPARE(loaded.last().at(0).toLongLong(), 30);
    session.loadModel(runs.filePath("nothing-here.pt"));
    QVERIFY(failed.wait(120000));
    QVERIFY(failed.first().at(0).toString().contains("checkpoint not found"));
  }

  // A diverged model (NaN weights) opened between runs, and a block of its model diagram clicked:
  // the summary is measured on the idle training thread, where histc's exception on a NaN range
  // once reached Qt's event loop and ended the studio. Now it comes back with the NaN counted.
  void aDivergedModelsDiagramIsAnswered() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    gan::Config config = gan::ui::test::tinyConfig(data);
    config.checkpoint.interval = 10;
    QVERIFY(trainRun(config, runs.filePath("run"), 10));
    const std::string diverged = runs.filePath("diverged.pt").toStdString();
    {
      gan::Gan gan(config, gan::load_dataset(config.data));
      gan.load_checkpoint(runs.filePath("run/checkpoints/step_0000010.pt").toStdString());
      torch::NoGradGuard no_grad;
      for (auto& parameter : gan.generator()->parameters()) parameter.fill_(std::numeric_limits<float>::quiet_NaN());
      gan.save_checkpoint(diverged);
    }
    TrainingSession session;
    QSignalSpy loaded(&session, &TrainingSession::modelLoaded);
    session.loadModel(QString::fromStdString(diverged));
    QVERIFY(loaded.wait(120000));
    std::optional<gan::ModelSummary> answer;
    connect(&session, &TrainingSession::modelSummaryReady, this, [&](const gan::ModelSummary& s) { answer = s; });
    session.requestModelSummary("G", "layers.0");
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 120000);
    const gan::ModelSummary& summary = *answer;
    QVERIFY2(summary.error.empty(), summary.error.c_str());
    QVERIFY(!summary.generator.empty());
    QVERIFY(summary.generator.front().weight_not_finite > 0);
    // And the studio still answers: digits from the same idle thread.
    QSignalSpy digits(&session, &TrainingSession::digitsReady);
    session.requestDigits(2);
    QVERIFY(digits.wait(120000));
  }

  // A run started while the open model's judge is still being opened beside it: the old trainer,
  // whose judge loader hears no cancel in its last stages (the training set's feature pass), is
  // released on the training thread. Released on the GUI thread, it held the window until the
  // loader ended.
  void startingARunNeverWaitsForTheOldModelsJudgeOnTheGuiThread() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    gan::Config config = gan::ui::test::tinyConfig(data);
    config.checkpoint.interval = 10;
    QVERIFY(trainRun(config, runs.filePath("run"), 10));
    std::atomic<bool> opening{false};
    std::atomic<bool> opened{false};
    const StandInJudge stand_in;
    gan::JudgeLoader::set_opener_for_tests([&](const gan::DataConfig&, std::int64_t, const auto&, const auto&, c10::Device) {
      opening = true;
      std::this_thread::sleep_for(std::chrono::seconds(5));  // a stage that hears no cancel
      opened = true;
      return std::unique_ptr<gan::Judge>();
    });
    TrainingSession session;
    QSignalSpy loaded(&session, &TrainingSession::modelLoaded);
    session.loadModel(runs.filePath("run"));
    QVERIFY(loaded.wait(120000));
    gan::Image digit;
    digit.width = digit.height = 8;
    digit.pixels.assign(64, 128);
    session.requestNeighbours(digit, gan::NeighbourSpace::kPixels);  // starts the judge's loader beside
    QTRY_VERIFY_WITH_TIMEOUT(opening.load(), 120000);
    QSignalSpy finished(&session, &TrainingSession::finished);
    session.start(config, runs.filePath("next"), 5);  // the trainer holding that loader goes
    const bool waited = opened.load();
    QVERIFY(finished.wait(120000));  // the run comes once the old trainer is released
    QCOMPARE(finished.first().at(0).value<gan::RunState>(), gan::RunState::kFinished);
    QVERIFY2(!waited, "the GUI thread waited for the old trainer's judge loader");
    QVERIFY(opened.load());
  }

  // A move along a run's timeline loads another of its checkpoints: the weights are swapped into
  // the model already open, and the data and the judge (its loader counted here) are not opened
  // again. Another run's model (another config) is opened anew.
  void aTimelineMoveSwapsTheWeightsKeepingDataAndJudge() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    gan::Config config = gan::ui::test::tinyConfig(data);
    config.checkpoint.interval = 10;
    gan::Config other = config;
    other.model.latent_dim = 6;
    for (const auto& [run, run_config] : {std::pair{QString("run"), config}, std::pair{QString("other"), other}}) {
      TrainingSession session;
      QSignalSpy finished(&session, &TrainingSession::finished);
      session.start(run_config, runs.filePath(run), 20);
      QVERIFY(finished.wait(120000));
    }
    std::atomic<int> opens{0};
    const StandInJudge stand_in;
    gan::JudgeLoader::set_opener_for_tests([&](const gan::DataConfig&, std::int64_t, const auto&, const auto&, c10::Device) {
      ++opens;
      return std::unique_ptr<gan::Judge>();  // none: the trainer keeps that answer and asks no more
    });
    TrainingSession session;
    QSignalSpy loaded(&session, &TrainingSession::modelLoaded);
    std::optional<gan::ModelSummary> summary;
    connect(&session, &TrainingSession::modelSummaryReady, this, [&](const gan::ModelSummary& s) { summary = s; });
    int answers = 0;
    bool opening = true;
    connect(&session, &TrainingSession::neighboursReady, this,
            [&](const gan::NeighbourView& view, const gan::Image&, gan::NeighbourSpace) {
              ++answers;
              opening = view.opening;
            });
    gan::Image digit;
    digit.width = digit.height = 8;
    digit.pixels.assign(64, 128);
    // Opens `checkpoint`, checks the model's step, and asks for neighbours until the judge's loader
    // has answered (the first ask starts it).
    auto open = [&](const QString& checkpoint, qint64 step) {
      session.loadModel(runs.filePath(checkpoint));
      QVERIFY(loaded.wait(120000));
      QCOMPARE(loaded.last().at(0).toLongLong(), step);
      summary.reset();
      session.requestModelSummary();
      QTRY_VERIFY_WITH_TIMEOUT(summary.has_value(), 120000);
      QCOMPARE(summary->step, step);
      do {
        const int before = answers;
        session.requestNeighbours(digit, gan::NeighbourSpace::kPixels);
        QTRY_VERIFY_WITH_TIMEOUT(answers > before, 120000);
      } while (opening);
    };
    open("run/checkpoints/step_0000010.pt", 10);
    QCOMPARE(opens.load(), 1);
    open("run/checkpoints/step_0000020.pt", 20);
    open("run/checkpoints/step_0000010.pt", 10);
    if (QTest::currentTestFailed()) return;
    QCOMPARE(opens.load(), 1);  // swapped: the same trainer, its judge's answer kept
    open("other", 20);
    if (QTest::currentTestFailed()) return;
    QCOMPARE(opens.load(), 2);  // another model: a trainer of its own, and its judge opened
  }

  void badDataFailsWithAMessage() {
    QTemporaryDir empty;
    QTemporaryDir runs;
    gan::ui::test::TinyData data;
    gan::Config config = gan::ui::test::tinyConfig(data);
    config.data.path = empty.filePath("missing").toStdString();
    TrainingSession session;
    QSignalSpy finished(&session, &TrainingSession::finished);
    session.start(config, runs.filePath("run"));
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().at(0).value<gan::RunState>(), gan::RunState::kFailed);
    QVERIFY2(finished.first().at(1).toString().contains("data folder not found"),
             qPrintable(finished.first().at(1).toString()));
  }

  void destroyingMidRunReturnsPromptly() {
    gan::ui::test::TinyData data;
    QTemporaryDir runs;
    {
      // tinyConfig asks for 100000 epochs: leaving this scope at all means the destructor stopped
      // the run mid-run rather than waiting for it (no wall-clock bound: CI machines are loaded).
      TrainingSession session;
      QSignalSpy steps(&session, &TrainingSession::stepsReady);
      session.start(gan::ui::test::tinyConfig(data), runs.filePath("run"));
      QTRY_VERIFY_WITH_TIMEOUT(lastStep(steps) >= 3, 120000);
    }
    gan::ui::test::expectCompleteStoppedRun(runs.filePath("run"));
  }
};

QTEST_MAIN(TrainingSessionTest)
#include "training_session_test.moc"
