// Where MainWindow's views go, and the layout a person makes of them (saved per user, restored,
// reset from View ▸ Reset layout).
//
//   ┌──────────┬──────────────────────┬───────────────────────────────┐
//   │ panel    │ samples              │ [Training | Quality] charts   │
//   │ (scrolls │ (the whole height:   ├───────────────────────────────┤
//   │  down)   │  what people come    │ docks: Inside, Ask D, Picked  │
//   │          │  for)                │ digit (tabbed, hidden at first)│
//   └──────────┴──────────────────────┴───────────────────────────────┘
//
// The docks live in the analysis column (a QMainWindow of its own inside the window), so opening
// one takes height from the charts and never from the samples. Every view that may be squeezed
// sits in a scroll area: a view's least size never grows the window past the screen (it used to:
// Ctrl+I grew a 900-pixel window to 1231).
#include <QAction>
#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

#include "ui/charts/metric_charts.h"
#include "ui/charts/quality_charts.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/data/data_controller.h"
#include "ui/inside/inside_controller.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/model_diagram.h"
#include "ui/probe/ask_discriminator.h"
#include "ui/probe/latent_explorer.h"
#include "ui/probe/neighbour_panel.h"
#include "ui/probe/probe_controller.h"
#include "ui/runs/runs_controller.h"
#include "ui/samples/sample_panel.h"
#include "ui/samples/sample_view.h"
#include "ui/session/training_session.h"
#include "ui/window/alarm_bar.h"
#include "ui/window/main_window.h"
#include "ui/window/status_panel.h"

namespace gan::ui {
namespace {

// `widget` in a scroll area that fills with it: at its least size it scrolls instead of asking the
// window for room.
QScrollArea* scrolling(QWidget* widget, QWidget* parent, Qt::ScrollBarPolicy horizontal = Qt::ScrollBarAsNeeded) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidget(widget);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(horizontal);
  return scroll;
}

constexpr int kPanelWidth = 340;  // labels and fields; help texts wrap within it

}  // namespace

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* content, QDockWidget* tab_with) {
  auto* dock = new QDockWidget(title, analysis_);
  dock->setObjectName(name);
  dock->setWidget(scrolling(content, dock));
  analysis_->addDockWidget(Qt::BottomDockWidgetArea, dock);
  if (tab_with != nullptr) analysis_->tabifyDockWidget(tab_with, dock);
  dock->hide();
  // Opened, the docks share the column with the charts half and half (their own size hints would
  // leave the charts a strip); moved by hand, they stay where they were put.
  connect(dock, &QDockWidget::visibilityChanged, this, [this, dock](bool visible) {
    if (!visible || dock->property("sized").toBool() || dock->isFloating()) return;
    dock->setProperty("sized", true);
    analysis_->resizeDocks({dock}, {analysis_->height() / 2}, Qt::Vertical);
  });
  return dock;
}

void MainWindow::buildLayout() {
  panel_ = new HyperparameterPanel(this);
  // Never sideways: the panel is as wide as its column, and a field that takes the focus (F5
  // after an edit) no longer scrolls the labels out of sight.
  auto* panel_scroll = scrolling(panel_, this, Qt::ScrollBarAlwaysOff);
  panel_scroll->setMinimumWidth(std::min(panel_->minimumSizeHint().width(), kPanelWidth) +
                                panel_scroll->verticalScrollBar()->sizeHint().width());

  charts_ = new MetricCharts(this);
  samples_ = new SamplePanel(this);
  samples_->setObjectName("samplePanel");
  quality_ = new QualityCharts(this);
  connect(quality_, &QualityCharts::classClicked, this, &MainWindow::showClassDigits);
  analysis_tabs_ = new QTabWidget(this);
  analysis_tabs_->setObjectName("analysisTabs");
  analysis_tabs_->addTab(scrolling(charts_, this), tr("Training"));
  analysis_tabs_->addTab(scrolling(quality_, this), tr("Sample quality"));
  analysis_ = new QMainWindow(this);
  analysis_->setObjectName("analysis");
  analysis_->setWindowFlags(Qt::Widget);
  analysis_->setDockNestingEnabled(true);
  analysis_->setCentralWidget(analysis_tabs_);

  // What happens inside D and G, window by window.
  inside_ = new InsideView(this);
  model_diagram_ = new ModelDiagram(this);
  model_diagram_->setObjectName("modelDiagram");
  inside_tabs_ = new QTabWidget(this);
  inside_tabs_->setObjectName("insideTabs");
  inside_tabs_->addTab(inside_, tr("Verdicts and gradients"));
  inside_tabs_->addTab(model_diagram_, tr("Model"));
  QDockWidget* inside_dock = addDock(tr("Inside the networks"), "insideDock", inside_tabs_);
  new InsideController(session_, {inside_, model_diagram_, inside_tabs_, inside_dock}, [this] { return run_folder_; },
                       this);
  inside_action_ = inside_dock->toggleViewAction();
  inside_action_->setText(tr("&Inside the networks"));
  inside_action_->setShortcut(QKeySequence(tr("Ctrl+I")));
  inside_action_->setToolTip(tr("D's verdicts as distributions and each layer's gradients, window by window (Ctrl+I)"));

  ask_ = new AskDiscriminator(this);
  ask_->setObjectName("askDiscriminator");
  QDockWidget* ask_dock = addDock(tr("Ask the discriminator"), "askDock", ask_, inside_dock);
  ask_action_ = ask_dock->toggleViewAction();
  ask_action_->setText(tr("&Ask the discriminator"));
  ask_action_->setShortcut(QKeySequence(tr("Ctrl+D")));
  ask_action_->setToolTip(tr("Draw a digit, or drag one from the sample grid, and see what D and the judge say (Ctrl+D)"));

  neighbours_ = new NeighbourPanel(this);
  neighbours_->setObjectName("neighbourPanel");
  explorer_ = new LatentExplorer(this);
  explorer_->setObjectName("latentExplorer");
  picked_tabs_ = new QTabWidget(this);
  picked_tabs_->setObjectName("pickedTabs");
  picked_tabs_->addTab(neighbours_, tr("Nearest training images"));
  picked_tabs_->addTab(explorer_, tr("Latent explorer"));
  QDockWidget* picked_dock = addDock(tr("Picked digit"), "pickedDock", picked_tabs_, ask_dock);
  picked_action_ = picked_dock->toggleViewAction();
  picked_action_->setText(tr("&Picked digit"));
  picked_action_->setShortcut(QKeySequence(tr("Ctrl+L")));
  picked_action_->setToolTip(tr("Click a digit of the sample grid: its nearest training images (did G copy it?) and "
                                "the latent space around it (Ctrl+L)"));
  new ProbeController(
      session_, {ask_, ask_dock, neighbours_, explorer_, picked_dock, samples_->view()},
      [this](const QString& text) { statusBar()->showMessage(text, 5000); }, [this](const QString& text) { showError(text); },
      this);
  connectTimeline();
  runs_ = new RunsController(panel_, {this, [this](const QString& folder) { return openRun(folder); },
                                      [this](const QString& folder, const QString& checkpoint) {
                                        return prepareFork(folder, checkpoint);
                                      },
                                      [this](const QString& text) { showError(text); }});
  data_ = new DataController(
      panel_, session_, this, [this](const QString& text) { statusBar()->showMessage(text, 5000); },
      [this](const QString& text) { showError(text); });

  splitter_ = new QSplitter(Qt::Horizontal, this);
  splitter_->setObjectName("mainSplitter");
  splitter_->setChildrenCollapsible(false);
  splitter_->addWidget(panel_scroll);
  splitter_->addWidget(samples_);
  splitter_->addWidget(analysis_);
  // A narrower window takes from the charts before the samples.
  splitter_->setStretchFactor(0, 0);
  splitter_->setStretchFactor(1, 1);
  splitter_->setStretchFactor(2, 1);

  banner_ = new QLabel(this);
  banner_->setWordWrap(true);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  banner_->setStyleSheet("background: #fdecea; color: #8a1c1c; padding: 6px; border: 1px solid #d62728;");
  banner_->hide();

  status_ = new StatusPanel(this);

  alarm_bar_ = new AlarmBar(this);
  connect(alarm_bar_, &AlarmBar::rollbackRequested, this, &MainWindow::rollBackTo);
  connect(alarm_bar_, &AlarmBar::continueRequested, this, [this] {
    if (paused_) session_->resume();
  });

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(4, 4, 4, 0);
  layout->addWidget(banner_);
  layout->addWidget(alarm_bar_);
  layout->addWidget(splitter_, 1);
  layout->addWidget(status_);
  setCentralWidget(central);
  fitToScreen();
}

void MainWindow::fitToScreen() {
  // 1500 x 900 where the screen has room, else what it has (a 1366 x 768 laptop).
  QSize size(1500, 900);
  if (const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen()) {
    size = size.boundedTo(screen->availableGeometry().size());
  }
  resize(size);
  // The samples a little less than half of what the panel leaves: a grid is as tall as it is
  // wide or taller (a row per class), while charts and docks need width for their axes.
  const int rest = std::max(size.width() - kPanelWidth, 400);
  splitter_->setSizes({kPanelWidth, rest * 9 / 20, rest - rest * 9 / 20});
}

void MainWindow::resetLayout() {
  analysis_->restoreState(default_analysis_state_);
  restoreState(default_state_);
  analysis_tabs_->setCurrentIndex(0);
  fitToScreen();
}

void MainWindow::restoreLayout() {
  // What a window looks like before a person arranges it: what Reset layout returns to.
  default_state_ = saveState();
  default_analysis_state_ = analysis_->saveState();
  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  analysis_->restoreState(settings.value("window/analysis").toByteArray());
  splitter_->restoreState(settings.value("window/splitter").toByteArray());
  analysis_tabs_->setCurrentIndex(settings.value("window/analysisTab", 0).toInt());
}

void MainWindow::saveLayout() {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("window/analysis", analysis_->saveState());
  settings.setValue("window/splitter", splitter_->saveState());
  settings.setValue("window/analysisTab", analysis_tabs_->currentIndex());
}

}  // namespace gan::ui
