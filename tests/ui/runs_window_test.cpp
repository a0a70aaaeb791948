// The runs view: the table lists a folder's runs with only the hyperparameters that differ, ranks
// them by IS or FID at one step count, follows a run still being written, overlays the selected
// runs' curves, shows their grids under one timeline, renames and moves runs to the trash; and
// gan-studio's main window forks a run the view chose from a checkpoint and sweeps a field of its
// panel with the real gan-sweep.
#include <QAction>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

#include "core/run/run_folder.h"
#include "ui/runs/compare_charts.h"
#include "ui/runs/compare_samples.h"
#include "ui/window/main_window.h"
#include "ui/session/qt_types.h"
#include "ui/runs/runs_model.h"
#include "ui/runs/runs_controller.h"
#include "ui/runs/runs_window.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/runs/score_scatter.h"
#include "ui/runs/sweep_dialog.h"
#include "ui/runs/sweep_launcher.h"
#include "ui_test_support.h"

using gan::ui::RunsWindow;

namespace {

gan::Image grid_image(std::uint8_t shade) {
  gan::Image image;
  image.width = image.height = 12;
  image.pixels.assign(144, shade);
  return image;
}

// A run folder as gan-train leaves it: `steps` steps (sample grids every 100, a score every 100
// rising to `final_is`), then finished, or still running when `finish` is false.
void write_run(const QString& folder, double g_lr, qint64 steps, double final_is, bool finish = true) {
  gan::Config config;
  config.optimizer.generator.lr = g_lr;
  gan::RunFolder run(folder.toStdString(), config, "laptop");
  gan::RunInfo info;
  info.steps_per_epoch = 100;
  info.total_steps = steps;
  run.on_started(info);
  run.on_sample(0, grid_image(0));
  for (qint64 s = 1; s <= steps; ++s) {
    if (s % 100 == 0) {
      gan::QualityRecord q;
      q.step = s;
      q.inception_score = final_is * static_cast<double>(s) / static_cast<double>(steps);
      q.fid = 100.0 / q.inception_score;
      q.class_histogram.assign(10, 0.1);
      run.on_quality(q);
    }
    run.on_steps({gan::StepRecord{s, 0, 1.2f, 0.8f, 0.6f, 0.4f, 0.01 * static_cast<double>(s)}}, {});
    if (s % 100 == 0) run.on_sample(s, grid_image(static_cast<std::uint8_t>(s % 255)));
  }
  if (finish) run.on_state(gan::RunState::kFinished, "");
}

}  // namespace

class RunsWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    gan::ui::register_meta_types();
    write_run(dir_.filePath("a-slow"), 0.0001, 300, 6.0);
    write_run(dir_.filePath("b-fast"), 0.0004, 300, 8.0);
    write_run(dir_.filePath("c-short"), 0.0002, 200, 9.0);
    QDir().mkpath(dir_.filePath("not-a-run"));
  }

  void listsTheRunsWithTheKeysThatDiffer() {
    RunsWindow window;
    QVERIFY(window.openFolder(dir_.path()));
    auto* model = window.model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->differingKeys(), QStringList{"optimizer.generator.lr"});
    const int lr = model->columnOf(gan::ui::RunsModel::Column::kDiffering);
    QCOMPARE(model->headerData(lr, Qt::Horizontal, Qt::DisplayRole).toString(), QString("G lr"));
    const int b = model->rowOf(dir_.filePath("b-fast"));
    QCOMPARE(model->data(model->index(b, lr), Qt::DisplayRole).toString(), QString("0.0004"));
    QCOMPARE(model->data(model->index(b, model->columnOf(gan::ui::RunsModel::Column::kStatus)), Qt::DisplayRole).toString(),
             QString("finished"));
    QCOMPARE(model->data(model->index(b, model->columnOf(gan::ui::RunsModel::Column::kSteps)), Qt::DisplayRole).toString(),
             QString("300"));
    QCOMPARE(model->differenceLabel(b), QString("G lr 0.0004"));
    QVERIFY(!window.openFolder(dir_.filePath("not-a-run")));
    QVERIFY(window.errorText().contains("holds no run folders"));
  }

  void ranksByScoreAtTheSameStepCount() {
    RunsWindow window;
    QVERIFY(window.openFolder(dir_.path()));
    auto first = [&window] {
      const QModelIndex top = window.proxy()->index(0, 0);
      return window.proxy()->data(top).toString();
    };
    window.rankBy(RunsWindow::Rank::kInceptionScore, 0);  // latest: c-short's 9.0 at its step 200
    QCOMPARE(first(), QString("c-short"));
    window.rankBy(RunsWindow::Rank::kInceptionScore, 200);  // at 200: c 9.0, b 5.33, a 4.0
    QCOMPARE(first(), QString("c-short"));
    window.rankBy(RunsWindow::Rank::kInceptionScore, 100);  // at 100: c 4.5, b 2.67, a 2.0
    QCOMPARE(first(), QString("c-short"));
    window.rankBy(RunsWindow::Rank::kFid, 300);  // FID = 100 / IS: lowest is b's at 300 (12.5) vs c's at 200 (11.1)
    QCOMPARE(first(), QString("c-short"));
    window.proxy()->setFilterFixedString("slow");
    QCOMPARE(window.proxy()->rowCount(), 1);
    QCOMPARE(first(), QString("a-slow"));
  }

  void overlaysTheSelectedRunsAndSharesOneTimeline() {
    RunsWindow window;
    QVERIFY(window.openFolder(dir_.path()));
    auto* model = window.model();
    window.compareRows({model->rowOf(dir_.filePath("a-slow")), model->rowOf(dir_.filePath("c-short"))});
    QCOMPARE(window.comparedFolders(), (QStringList{dir_.filePath("a-slow"), dir_.filePath("c-short")}));
    auto* charts = window.charts();
    QCOMPARE(charts->points("Inception Score", 0).size(), 3);
    QCOMPARE(charts->points("Inception Score", 1).size(), 2);
    QCOMPARE(charts->points("Inception Score", 1).back(), QPointF(200, 9.0));
    QVERIFY(!charts->points("D loss", 0).isEmpty());
    QVERIFY(charts->valuesAt("Inception Score", 200).contains("G lr 0.0002: 9"));
    QVERIFY(charts->legendText().contains("G lr 0.0001") && charts->legendText().contains("G lr 0.0002"));
    // By training time: run a reached step 300 after 3 seconds.
    charts->setAxis(gan::ui::CompareCharts::Axis::kTime);
    QCOMPARE(charts->points("Inception Score", 0).back().x(), 3.0);

    auto* samples = window.samples();
    QCOMPARE(samples->step(), 300);
    QCOMPARE(samples->shownStep(0), 300);
    QCOMPARE(samples->shownStep(1), 200);  // c-short has no grid past 200: its newest one
    samples->setStep(100);
    QCOMPARE(samples->shownStep(0), 100);
    QCOMPARE(samples->shownStep(1), 100);
    samples->slider()->setValue(0);
    QCOMPARE(samples->shownStep(0), 0);

    auto* scatter = window.scatter();
    QCOMPARE(scatter->keys(), QStringList{"optimizer.generator.lr"});
    QCOMPARE(scatter->plotted().size(), 2);
  }

  void followsARunStillBeingWritten() {
    QTemporaryDir dir;
    write_run(dir.filePath("live"), 0.0002, 100, 3.0, /*finish=*/false);
    write_run(dir.filePath("done"), 0.0004, 100, 3.0);
    RunsWindow window;
    QVERIFY(window.openFolder(dir.path()));
    auto* model = window.model();
    const int live = model->rowOf(dir.filePath("live"));
    QCOMPARE(model->run(live).status, std::string("running"));
    QCOMPARE(model->run(live).steps, 100);
    {
      gan::RunFolder more(dir.filePath("live").toStdString(), gan::RunFolder::ResumeAt{100});
      more.on_steps({gan::StepRecord{101, 1, 1.0f, 1.0f, 0.5f, 0.5f, 1.5}, gan::StepRecord{102, 1, 1.0f, 1.0f, 0.5f, 0.5f, 1.6}}, {});
    }
    window.refresh();
    QCOMPARE(model->run(model->rowOf(dir.filePath("live"))).steps, 102);
    // It ends: no more rows, only its manifest changes.
    {
      gan::RunFolder more(dir.filePath("live").toStdString(), gan::RunFolder::ResumeAt{102});
      QTest::qWait(20);  // a manifest time the view can tell from the last one
      more.on_state(gan::RunState::kFinished, "");
    }
    window.refresh();
    QCOMPARE(model->run(model->rowOf(dir.filePath("live"))).status, std::string("finished"));
    // A new run in the folder appears.
    write_run(dir.filePath("new"), 0.0001, 10, 1.0);
    window.refresh();
    QCOMPARE(model->rowCount(), 3);
  }

  void renamesAndMovesRunsToTheTrash() {
    // Inside this test's home: the desktop's trash is per file system, and the home's is the one
    // checked below.
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    QVERIFY(QDir().mkpath(data));
    QTemporaryDir dir(data + "/runs-XXXXXX");
    write_run(dir.filePath("one"), 0.0002, 10, 1.0);
    // A name of its own, so that what the trash holds from earlier runs of this test does not count.
    const QString two = "two-" + QFileInfo(dir.path()).fileName();
    write_run(dir.filePath(two), 0.0004, 10, 1.0);
    write_run(dir.filePath("running"), 0.0001, 10, 1.0, /*finish=*/false);
    RunsWindow window;
    QVERIFY(window.openFolder(dir.path()));
    QVERIFY(!window.renameRun(dir.filePath("one"), two));  // taken: nothing overwritten
    QVERIFY(window.errorText().contains("exists already"));
    QVERIFY(!window.renameRun(dir.filePath("running"), "other"));
    QVERIFY(window.errorText().contains("still being written"));
    QVERIFY(window.renameRun(dir.filePath("one"), "lr-0.0002"));
    QVERIFY(QFileInfo::exists(dir.filePath("lr-0.0002/run.yaml")));
    QVERIFY(window.model()->rowOf(dir.filePath("lr-0.0002")) >= 0);

    QVERIFY(window.trashRuns({dir.filePath(two)}));
    QVERIFY(!QFileInfo::exists(dir.filePath(two)));
    QCOMPARE(window.model()->rowCount(), 2);
    // In the trash of this test's own home (XDG_DATA_HOME), not deleted.
    const QString trash = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + "/Trash/files";
    QVERIFY2(QFileInfo::exists(trash + "/" + two + "/run.yaml"), qPrintable(trash));
    QVERIFY(!window.trashRuns({dir.filePath("running")}));
    QVERIFY(QFileInfo::exists(dir.filePath("running/run.yaml")));
  }

  void aRunTheTrashRefusesStaysListed() {
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    QVERIFY(QDir().mkpath(data));
    QTemporaryDir dir(data + "/runs-XXXXXX");
    write_run(dir.filePath("kept"), 0.0002, 10, 1.0);
    write_run(dir.filePath("other"), 0.0004, 10, 1.0);
    RunsWindow window;
    QVERIFY(window.openFolder(dir.path()));
    QCOMPARE(window.model()->rowCount(), 2);
    // A file where the home's trash folder should be: no move into the trash can succeed (even as root).
    const QString trash = data + "/Trash";
    QVERIFY(QDir(trash).removeRecursively());
    {
      QFile blocker(trash);
      QVERIFY(blocker.open(QIODevice::WriteOnly));
    }
    const bool moved = window.trashRuns({dir.filePath("kept")});
    QFile::remove(trash);
    QVERIFY(!moved);
    QVERIFY(window.errorText().contains("not moved to the trash"));
    // Where it was (Qt 6.4 had moved it to ./files/ of the working directory and called that the trash).
    QVERIFY(QFileInfo::exists(dir.filePath("kept/run.yaml")));
    QVERIFY(!QFileInfo::exists(QDir::current().filePath("files/kept")));
    QVERIFY2(window.model()->rowOf(dir.filePath("kept")) >= 0, "a run still on disk dropped from the list");
    QCOMPARE(window.model()->rowCount(), 2);
  }

  void opensGivenRunsComparedAndForksOneInTheMainWindow() {
    gan::ui::MainWindow main;
    RunsWindow* view = main.runs()->runsWindow();
    QVERIFY(view->openRuns({dir_.filePath("a-slow"), dir_.filePath("b-fast")}));
    QCOMPARE(view->comparedFolders().size(), 2);
    QVERIFY(!view->openRuns({dir_.filePath("not-a-run")}));

    QSignalSpy opened(view, &RunsWindow::openRunRequested);
    view->compareRows({view->model()->rowOf(dir_.filePath("b-fast"))});
    for (QAction* action : view->table()->actions()) {
      if (action->text() == "Open in studio") action->trigger();
    }
    QCOMPARE(opened.count(), 1);
    QCOMPARE(main.runFolder(), dir_.filePath("b-fast"));

    // The view's fork: the run opens with Fork armed for the chosen checkpoint.
    const QString checkpoint = dir_.filePath("b-fast/checkpoints/step_0000200.pt");
    QVERIFY(main.prepareFork(dir_.filePath("a-slow"), checkpoint));
    QCOMPARE(main.runFolder(), dir_.filePath("a-slow"));
    QCOMPARE(main.pendingFork(), checkpoint);
    QVERIFY(main.openRun(dir_.filePath("b-fast")));  // opening another run disarms it
    QVERIFY(main.pendingFork().isEmpty());
  }

  void sweepsAFieldOfThePanelAndFollowsTheSweep() {
    gan::ui::test::TinyData data;
    gan::ui::MainWindow main;
    main.panel()->setConfig(gan::ui::test::tinyConfig(data));
    main.runs()->sweeps()->setProgram(GAN_SWEEP_EXECUTABLE);
    // A bad value is refused before anything starts, naming the key and the range.
    QVERIFY(main.runs()->startSweep("optimizer.generator.lr", {"0.0002", "7"}, 5).isEmpty());
    QVERIFY2(main.errorText().contains("optimizer.generator.lr") && main.errorText().contains("(0, 1]"),
             qPrintable(main.errorText()));
    QVERIFY(!main.runs()->sweeps()->running());

    QSignalSpy finished(main.runs()->sweeps(), &gan::ui::SweepLauncher::finished);
    const QString folder = main.runs()->startSweep("optimizer.generator.lr", {"0.0001", "0.001"}, 5);
    QVERIFY(!folder.isEmpty());
    QVERIFY(folder.startsWith(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)));
    QCOMPARE(main.runs()->runsWindow()->folder(), folder);
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.front().front().toInt(), 0);
    main.runs()->runsWindow()->refresh();
    QCOMPARE(main.runs()->runsWindow()->model()->rowCount(), 2);
    QCOMPARE(main.runs()->runsWindow()->model()->differingKeys(), QStringList{"optimizer.generator.lr"});
    QVERIFY(QFileInfo::exists(folder + "/sweep.csv"));
  }

  void suggestsASpreadAroundTheCurrentValue() {
    gan::Config config;
    const auto* lr = gan::find_config_field("optimizer.generator.lr");
    QCOMPARE(gan::ui::SweepDialog::suggestedValues(*lr, config), (QStringList{"0.0001", "0.0002", "0.0004"}));
    const auto* d_steps = gan::find_config_field("train.d_steps");
    QCOMPARE(gan::ui::SweepDialog::suggestedValues(*d_steps, config), (QStringList{"1", "2"}));  // 0 is not allowed
    const auto* widths = gan::find_config_field("model.generator.hidden");
    gan::ui::SweepDialog dialog(*widths, config);
    dialog.setValues("[64, 128]; [256]");
    QCOMPARE(dialog.values(), (QStringList{"[64, 128]", "[256]"}));
  }

 private:
  QTemporaryDir dir_;
};

QTEST_MAIN(RunsWindowTest)
#include "runs_window_test.moc"
