// gan-studio: the desktop application.
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QLocale>
#include <QTimer>

#include <clocale>
#include <cstdio>

#include "ui/window/main_window.h"
#include "ui/runs/runs_controller.h"
#include "ui/runs/runs_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  // Numbers stay C everywhere: the panel shows and takes 0.0002 as config.yaml spells it, whatever
  // the desktop's language. QApplication set LC_NUMERIC from the environment; put it back, as Qt's
  // documentation advises. (The files are locale-proof on their own: core/io/number_text.h.)
  std::setlocale(LC_NUMERIC, "C");
  QLocale::setDefault(QLocale::c());
  QApplication::setApplicationName("gan-studio");
  QApplication::setOrganizationName("GAN Studio");
  QApplication::setApplicationVersion(GAN_VERSION);
  // The desktop entry's name (Wayland matches windows to it) and the icon it installs.
  QGuiApplication::setDesktopFileName("org.ganstudio.GanStudio");
  QApplication::setWindowIcon(QIcon::fromTheme("org.ganstudio.GanStudio"));

  QCommandLineParser parser;
  parser.setApplicationDescription("Train a GAN on MNIST and watch it learn.");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption config({"c", "config"}, "Open this YAML config or preset.", "file");
  const QCommandLineOption start("start", "Start training right away.");
  const QCommandLineOption max_steps("max-steps", "Stop runs after this many steps in total.", "n");
  const QCommandLineOption screenshot(
      "screenshot", "When the run ends (or, with a run folder and no --start, once it is shown), save the window as a PNG and quit.",
      "file");
  parser.addOptions({config, start, max_steps, screenshot});
  parser.addPositionalArgument("runs",
                               "A run folder to open (also one another process is still writing); several run folders, "
                               "or a folder of runs (a sweep's), to compare them in the runs view.",
                               "[run…]");
  parser.process(app);

  gan::ui::MainWindow window;
  if (parser.isSet(config) && !window.loadConfigFile(parser.value(config))) {
    std::fprintf(stderr, "gan-studio: %s\n", qPrintable(window.errorText()));
  }
  if (parser.isSet(max_steps)) {
    bool ok = false;
    const qint64 steps = parser.value(max_steps).toLongLong(&ok);
    if (!ok || steps <= 0) {
      std::fprintf(stderr, "gan-studio: --max-steps: expected a positive number, found '%s'\n",
                   qPrintable(parser.value(max_steps)));
      return 2;
    }
    window.setMaxSteps(steps);
  }
  const QStringList runs = parser.positionalArguments();
  // One run folder opens in the main window; several, or a folder of runs, in the runs view.
  const bool compare = runs.size() > 1 || (runs.size() == 1 && !QFileInfo::exists(runs.front() + "/run.yaml"));
  QWidget* shown = &window;
  if (compare) {
    gan::ui::RunsWindow* view = window.runs()->runsWindow();
    const bool opened = runs.size() > 1 ? view->openRuns(runs) : view->openFolder(runs.front());
    if (!opened) {
      std::fprintf(stderr, "gan-studio: %s\n", qPrintable(view->errorText()));
      return 2;
    }
    shown = view;
  } else if (!runs.isEmpty() && !window.openRun(runs.front())) {
    std::fprintf(stderr, "gan-studio: %s\n", qPrintable(window.errorText()));
    return 2;
  }
  int exit_code = 0;
  if (parser.isSet(screenshot) && !runs.isEmpty() && !parser.isSet(start)) {
    const QString path = parser.value(screenshot);
    QTimer::singleShot(1500, shown, [shown, &window, &exit_code, path] {
      if (!shown->grab().save(path)) {
        std::fprintf(stderr, "gan-studio: cannot write %s\n", qPrintable(path));
        exit_code = 1;
      }
      shown->close();
      window.close();
    });
  } else if (parser.isSet(screenshot)) {
    const QString path = parser.value(screenshot);
    QObject::connect(&window, &gan::ui::MainWindow::runFinished, &window,
                     [&window, &exit_code, path](gan::RunState state, const QString& message) {
      if (state == gan::RunState::kFailed) {
        std::fprintf(stderr, "gan-studio: run failed: %s\n", qPrintable(message));
        exit_code = 1;
      }
      // Let the last batch of points reach the charts before grabbing.
      QTimer::singleShot(300, &window, [&window, &exit_code, path] {
        if (!window.grab().save(path)) {
          std::fprintf(stderr, "gan-studio: cannot write %s\n", qPrintable(path));
          exit_code = 1;
        }
        window.close();
      });
    });
  }
  if (compare) {
    // The runs view on its own; closing it ends the program, unless it opened a run in the main
    // window, which then lives on.
    QObject::connect(window.runs()->runsWindow(), &gan::ui::RunsWindow::closed, &app, [&window] {
      if (!window.isVisible()) QApplication::quit();
    });
    shown->show();
  } else {
    window.show();
  }
  if (parser.isSet(start)) QTimer::singleShot(0, &window, &gan::ui::MainWindow::startTraining);
  const int status = app.exec();
  return status != 0 ? status : exit_code;
}
