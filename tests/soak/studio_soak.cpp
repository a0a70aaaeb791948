// studio-soak: drives the real main window through a long session — training on MNIST with live
// learning-rate edits, pause and resume, exports of grids, charts, metrics and digits, the digits
// of a histogram class — and measures what a user would notice: the worst event-loop delay, the
// memory at start and end, and whether the run folder is complete afterwards. Prints the figures;
// exits 1 when an action was never done, an export failed or the run folder is incomplete, and,
// when limits are given (a benchmark on a quiet machine, not a test), when the UI stalled past
// one or memory grew past the other.
//   studio-soak [--minutes M] [--config FILE] [--latency-limit-ms 100] [--rss-growth-limit-mb 64]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTimer>

#include <unistd.h>

#include <algorithm>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/config/config.h"
#include "core/io/paths.h"
#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"
#include "ui/export/export_controller.h"
#include "ui/export/exports.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/window/main_window.h"
#include "ui/session/training_session.h"

namespace {

double rss_megabytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("gan-studio-soak");
  QCommandLineParser parser;
  parser.addHelpOption();
  const QCommandLineOption minutes_option("minutes", "Length of the session.", "minutes", "30");
  const QCommandLineOption config_option("config", "Config to train.", "file",
                                         QString::fromStdString((gan::presets_folder() / "pytorch-gan.yaml").string()));
  const QCommandLineOption latency_option("latency-limit-ms", "Worst event-loop delay allowed (0: report it only).", "ms", "0");
  const QCommandLineOption rss_option("rss-growth-limit-mb", "Memory growth allowed after the warm-up (0: report it only).",
                                      "MB", "0");
  parser.addOptions({minutes_option, config_option, latency_option, rss_option});
  parser.process(app);
  const double minutes = parser.value(minutes_option).toDouble();
  const double latency_limit = parser.value(latency_option).toDouble();
  const double rss_limit = parser.value(rss_option).toDouble();

  gan::ui::MainWindow window;
  if (!window.loadConfigFile(parser.value(config_option))) {
    std::fprintf(stderr, "studio-soak: %s\n", qPrintable(window.errorText()));
    return 2;
  }
  window.resize(1500, 900);
  window.show();
  QTemporaryDir exports;

  // Event-loop delay: a 20 ms timer that notes how late each tick comes.
  QElapsedTimer clock;
  clock.start();
  qint64 last_tick = 0;
  double worst_delay = 0;
  qint64 ticks = 0, late_ticks = 0;
  QString worst_after;  // the scripted action before the worst delay
  QString last_action = "start";
  QTimer probe;
  probe.setInterval(20);
  QObject::connect(&probe, &QTimer::timeout, [&] {
    const qint64 now = clock.elapsed();
    const double delay = last_tick > 0 ? static_cast<double>(now - last_tick - 20) : 0.0;
    if (delay > 50) ++late_ticks;
    if (delay > worst_delay) {
      worst_delay = delay;
      worst_after = last_action;
    }
    last_tick = now;
    ++ticks;
  });

  // The script: one action every 3 seconds, round and round.
  int action = 0;
  int exports_done = 0, edits = 0, pauses = 0, export_errors = 0;
  double rss_start = -1;
  QTimer script;
  script.setInterval(3000);
  QObject::connect(&script, &QTimer::timeout, [&] {
    if (rss_start < 0 && clock.elapsed() > 30000) rss_start = rss_megabytes();  // after the warm-up
    auto note = [&](const QString& error) {
      ++exports_done;
      if (!error.isEmpty()) {
        ++export_errors;
        std::fprintf(stderr, "studio-soak: export failed: %s\n", qPrintable(error));
      }
    };
    static const char* const names[] = {"lr edit", "pause", "grid export", "resume", "charts export",
                                         "metrics export", "digits export", "class digits"};
    last_action = names[action % 8];
    switch (action++ % 8) {
      case 0: {
        auto* lr = qobject_cast<QLineEdit*>(window.panel()->field("optimizer.generator.lr"));
        lr->setText(edits % 2 == 0 ? "0.00025" : "0.0002");
        emit lr->editingFinished();
        ++edits;
        break;
      }
      case 1: window.togglePause(); ++pauses; break;
      case 2: note(window.exports()->exportGridTo(exports.filePath("grid.png"), gan::Replace::kAllowed)); break;
      case 3: window.togglePause(); break;
      case 4: note(window.exports()->exportChartsTo(exports.filePath("charts.png"), gan::Replace::kAllowed)); break;
      case 5: note(window.exports()->exportMetricsTo(exports.filePath("metrics.csv"), gan::Replace::kAllowed)); break;
      case 6: {
        const QString folder = exports.filePath(QString("digits-%1").arg(action));
        QDir().mkpath(folder);
        window.exports()->exportDigitsTo(folder, 16);
        break;
      }
      case 7: window.showClassDigits(action % 10); break;
    }
  });
  QObject::connect(window.exports(), &gan::ui::ExportController::digitsExported, [&](int, const QString& error) {
    ++exports_done;
    if (!error.isEmpty()) ++export_errors;
  });

  bool finished = false;
  gan::RunState final_state = gan::RunState::kRunning;
  QObject::connect(&window, &gan::ui::MainWindow::runFinished, [&](gan::RunState state, const QString&) {
    finished = true;
    final_state = state;
    app.quit();
  });
  QTimer::singleShot(static_cast<int>(minutes * 60000), [&] {
    script.stop();
    if (window.paused()) window.togglePause();
    window.stopTraining();
  });

  window.startTraining();
  probe.start();
  script.start();
  app.exec();
  const double rss_end = rss_megabytes();
  if (rss_start < 0) rss_start = rss_end;

  // The run folder: every step has its row, the manifest says stopped, the last checkpoint is the last step.
  bool complete = false;
  std::int64_t rows = 0, checkpoint_step = -1;
  std::string status;
  try {
    const std::filesystem::path run = window.runFolder().toStdString();
    gan::RunReader reader(run);
    const auto update = reader.poll();
    rows = static_cast<std::int64_t>(update.steps.size());
    status = reader.manifest().status;
    const auto checkpoints = gan::list_checkpoints(run);
    if (!checkpoints.empty()) checkpoint_step = gan::read_checkpoint_info(checkpoints.back()).step;
    bool consecutive = true;
    for (std::int64_t i = 0; i < rows; ++i) consecutive = consecutive && update.steps[static_cast<std::size_t>(i)].step == i + 1;
    complete = finished && final_state == gan::RunState::kStopped && status == "stopped" && consecutive &&
               rows > 0 && checkpoint_step == rows && std::filesystem::exists(run / "model.pt");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "studio-soak: %s\n", e.what());
  }

  auto limit_text = [](double limit, const char* unit) {
    return limit > 0 ? QString("limit %1 %2").arg(limit).arg(unit) : QString("no limit set");
  };
  std::printf("soak: %.1f min, %lld probe ticks, worst event-loop delay %.0f ms (%s) after '%s'; "
              "%lld ticks more than 50 ms late\n",
              minutes, static_cast<long long>(ticks), worst_delay, qPrintable(limit_text(latency_limit, "ms")),
              qPrintable(worst_after), static_cast<long long>(late_ticks));
  std::printf("soak: RSS %.1f MB after warm-up, %.1f MB at the end (%s)\n", rss_start, rss_end,
              qPrintable(limit_text(rss_limit, "MB growth")));
  std::printf("soak: %d lr edits, %d pauses, %d exports (%d failed)\n", edits, pauses, exports_done, export_errors);
  std::printf("soak: run folder %s: %lld metrics rows, newest checkpoint at step %lld, status %s: %s\n",
              qPrintable(window.runFolder()), static_cast<long long>(rows), static_cast<long long>(checkpoint_step),
              status.c_str(), complete ? "complete" : "INCOMPLETE");
  const bool every_action = edits > 0 && pauses > 0 && exports_done > 0;
  if (!every_action) std::printf("soak: the script did not get to every action\n");
  const bool within_limits = (latency_limit <= 0 || worst_delay <= latency_limit) &&
                             (rss_limit <= 0 || rss_end - rss_start <= rss_limit);
  const bool ok = within_limits && every_action && complete && export_errors == 0;
  std::printf("soak: %s\n", ok ? "passed" : "FAILED");
  return ok ? 0 : 1;
}
