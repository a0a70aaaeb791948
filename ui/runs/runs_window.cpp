#include "ui/runs/runs_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>

#include "core/io/atomic_file.h"
#include "core/run/checkpoint_files.h"
#include "core/run/inside_csv.h"
#include "core/run/run_reader.h"
#include "core/run/run_summary.h"
#include "core/sweep/sweep_folder.h"
#include "ui/runs/compare_charts.h"
#include "ui/runs/compare_samples.h"
#include "ui/runs/runs_model.h"
#include "ui/runs/score_scatter.h"
#include "ui/runs/sweep_launcher.h"

namespace gan::ui {
namespace {

// Runs compared when a folder opens: beyond ten, colours repeat and the charts turn to noise.
constexpr int kComparedAtFirst = 10;

// What changes when a run writes: metrics.csv grows with its steps, run.yaml is rewritten when its
// status changes (a run that ends writes no more rows).
QString write_stamp(const QString& folder) {
  return QString("%1/%2").arg(QFileInfo(folder + "/metrics.csv").size())
      .arg(QFileInfo(folder + "/run.yaml").lastModified().toMSecsSinceEpoch());
}

std::filesystem::path to_path(const QString& text) { return std::filesystem::path(text.toStdString()); }

}  // namespace

RunsWindow::RunsWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Runs — GAN Studio"));
  resize(1400, 900);
  model_ = new RunsModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(Qt::UserRole);
  proxy_->setFilterKeyColumn(-1);  // the filter matches any column: a name, a status, a value
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  auto* bar = new QHBoxLayout;
  folder_label_ = new QLabel;
  folder_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  filter_ = new QLineEdit;
  filter_->setPlaceholderText(tr("Filter runs (name, status, value)"));
  filter_->setClearButtonEnabled(true);
  rank_by_ = new QComboBox;
  rank_by_->addItems({tr("IS (higher is better)"), tr("FID (lower is better)")});
  rank_step_ = new QSpinBox;
  rank_step_->setRange(0, 100'000'000);
  rank_step_->setSingleStep(1000);
  rank_step_->setSpecialValueText(tr("latest"));
  rank_step_->setToolTip(tr("Compare every run's score at this step count (the newest evaluation at or before it)"));
  axis_ = new QComboBox;
  axis_->addItems({tr("by step"), tr("by training time")});
  bar->addWidget(folder_label_, 1);
  bar->addWidget(filter_, 1);
  bar->addWidget(new QLabel(tr("Rank by")));
  bar->addWidget(rank_by_);
  bar->addWidget(new QLabel(tr("at step")));
  bar->addWidget(rank_step_);
  bar->addWidget(new QLabel(tr("Curves")));
  bar->addWidget(axis_);
  layout->addLayout(bar);

  table_ = new QTableView;
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->setContextMenuPolicy(Qt::ActionsContextMenu);

  tabs_ = new QTabWidget;
  charts_ = new CompareCharts;
  samples_ = new CompareSamples;
  scatter_ = new ScoreScatter;
  tabs_->addTab(charts_, tr("Curves"));
  tabs_->addTab(samples_, tr("Samples"));
  tabs_->addTab(scatter_, tr("Hyperparameter vs score"));

  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(table_);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 3);
  split->setSizes({240, 660});  // about eight rows of runs above the comparison
  layout->addWidget(split, 1);
  setCentralWidget(central);
  buildActions();

  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { selectionChanged(); });
  auto rerank = [this] { rankBy(rank_by_->currentIndex() == 0 ? Rank::kInceptionScore : Rank::kFid, rank_step_->value()); };
  connect(rank_by_, &QComboBox::currentIndexChanged, this, rerank);
  connect(rank_step_, &QSpinBox::valueChanged, this, rerank);
  connect(axis_, &QComboBox::currentIndexChanged, this, [this](int i) {
    charts_->setAxis(i == 0 ? CompareCharts::Axis::kStep : CompareCharts::Axis::kTime);
  });
  poll_ = new QTimer(this);
  poll_->setInterval(2000);  // network file systems send no change notices: poll, as RunFollower does
  connect(poll_, &QTimer::timeout, this, &RunsWindow::refresh);
}

RunsWindow::~RunsWindow() = default;

void RunsWindow::buildActions() {
  auto* tools = addToolBar(tr("Runs"));
  tools->setObjectName("runs_toolbar");
  tools->addAction(tr("Open folder…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of runs"), folder_);
    if (!dir.isEmpty() && !openFolder(dir)) QMessageBox::warning(this, tr("Open folder"), error_);
  });
  auto add = [this, tools](const QString& text, const QKeySequence& key, const QString& tip, auto slot) {
    auto* action = new QAction(text, this);
    action->setShortcut(key);
    // Enter and Del act on the table's selection only: typed into the filter they stay the filter's.
    action->setShortcutContext(Qt::WidgetShortcut);
    action->setToolTip(tip);
    connect(action, &QAction::triggered, this, slot);
    tools->addAction(action);
    table_->addAction(action);
    return action;
  };
  add(tr("Open in studio"), QKeySequence(Qt::Key_Return), tr("Show the run in the main window: all its charts and samples"),
      [this] {
        const QStringList folders = selectedFolders();
        if (!folders.isEmpty()) emit openRunRequested(folders.front());
      });
  add(tr("Fork from checkpoint…"), QKeySequence(), tr("Start a new run from one of this run's checkpoints, with new settings"),
      [this] { askFork(); });
  stop_sweep_ = tools->addAction(tr("Stop sweep"), this, [this] {
    if (sweep_ != nullptr) sweep_->stop();
  });
  stop_sweep_->setToolTip(tr("Stop the sweep started from the panel: its runs stop with a checkpoint and resume when "
                             "gan-sweep runs on its folder again"));
  stop_sweep_->setEnabled(false);
  add(tr("Rename…"), QKeySequence(Qt::Key_F2), tr("Rename the run's folder"), [this] { askRename(); });
  add(tr("Move to trash…"), QKeySequence(QKeySequence::Delete), tr("Move the selected runs to the trash (asks first)"),
      [this] { askTrash(); });
}

bool RunsWindow::openFolder(const QString& folder, Empty empty) {
  if (!QFileInfo(folder).isDir()) return setError(tr("%1 is not a folder").arg(folder));
  const auto runs = gan::run_folders_in(to_path(folder));
  if (runs.empty() && empty == Empty::kRefuse) return setError(tr("%1 holds no run folders").arg(folder));
  folder_ = QDir(folder).absolutePath();
  listed_.clear();
  QStringList folders;
  for (const auto& run : runs) folders << QString::fromStdString(run.string());
  folder_label_->setText(folder_);
  compared_.clear();
  load(folders);
  // A sweep is there to be ranked: best IS first.
  if (gan::SweepFolder::is_sweep_folder(to_path(folder_))) rankBy(Rank::kInceptionScore, 0);
  // Something to look at at once: the first runs as listed, compared (a sweep's, usually all).
  QList<int> rows;
  for (int i = 0; i < std::min(proxy_->rowCount(), kComparedAtFirst); ++i) rows << proxy_->mapToSource(proxy_->index(i, 0)).row();
  compareRows(rows);
  poll_->start();
  return true;
}

bool RunsWindow::openRuns(const QStringList& folders) {
  for (const QString& folder : folders) {
    if (!QFileInfo::exists(folder + "/run.yaml")) return setError(tr("%1 is not a run folder (no run.yaml)").arg(folder));
  }
  folder_.clear();
  listed_.clear();
  for (const QString& folder : folders) listed_ << QDir(folder).absolutePath();
  folder_label_->setText(tr("%n run(s)", nullptr, static_cast<int>(listed_.size())));
  load(listed_);
  QList<int> rows;
  for (int i = 0; i < model_->rowCount(); ++i) rows << i;
  compareRows(rows);
  poll_->start();
  return true;
}

void RunsWindow::load(const QStringList& folders) {
  std::vector<gan::RunSummary> runs;
  stamps_.clear();
  QStringList unreadable;
  for (const QString& folder : folders) {
    try {
      runs.push_back(gan::summarize_run(to_path(folder)));
      stamps_[folder] = write_stamp(folder);
    } catch (const std::exception& e) {
      unreadable << QString::fromUtf8(e.what());
    }
  }
  const QStringList keep = compared_;
  model_->setRuns(std::move(runs));
  // By name at first; afterwards the user's (or the ranking's) order stays as runs come and go.
  if (proxy_->sortColumn() < 0) table_->sortByColumn(model_->columnOf(RunsModel::Column::kName), Qt::AscendingOrder);
  statusBar()->showMessage(unreadable.isEmpty() ? tr("%n run(s)", nullptr, model_->rowCount())
                                                : tr("skipped: %1").arg(unreadable.join("; ")));
  QList<int> rows;
  for (const QString& folder : keep) {
    if (const int row = model_->rowOf(folder); row >= 0) rows << row;
  }
  compareRows(rows);
}

QStringList RunsWindow::currentRuns() const {
  if (folder_.isEmpty()) return listed_;
  QStringList folders;
  for (const auto& run : gan::run_folders_in(to_path(folder_))) folders << QString::fromStdString(run.string());
  return folders;
}

void RunsWindow::reload() { load(currentRuns()); }

void RunsWindow::refresh() {
  // Runs that appeared or went (a sweep starting its next run): list them again.
  if (!folder_.isEmpty() && currentRuns().size() != model_->rowCount()) {
    reload();
    return;
  }
  std::vector<gan::RunSummary> changed;
  bool compared_changed = false;
  for (const auto& run : model_->runs()) {
    const QString folder = QString::fromStdString(run.folder.string());
    const QString stamp = write_stamp(folder);
    if (stamps_[folder] == stamp) continue;
    stamps_[folder] = stamp;
    try {
      changed.push_back(gan::summarize_run(run.folder));
      compared_changed = compared_changed || compared_.contains(folder);
    } catch (const std::exception&) {
    }
  }
  if (changed.empty()) return;
  model_->updateRuns(changed);
  if (compared_changed) updateComparison();
}

QStringList RunsWindow::selectedFolders() const {
  QStringList folders;
  QList<int> rows;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows()) rows << proxy_->mapToSource(index).row();
  std::sort(rows.begin(), rows.end());
  for (const int row : rows) folders << QString::fromStdString(model_->run(row).folder.string());
  return folders;
}

void RunsWindow::compareRows(const QList<int>& rows) {
  QItemSelection selection;
  for (const int row : rows) {
    const QModelIndex index = proxy_->mapFromSource(model_->index(row, 0));
    if (index.isValid()) selection.select(index, index);
  }
  table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  selectionChanged();
}

void RunsWindow::selectionChanged() {
  const QStringList folders = selectedFolders();
  if (folders == compared_) return;
  compared_ = folders;
  updateComparison();
}

const RunsWindow::History& RunsWindow::history(const QString& folder) {
  // Read again only when the run wrote since (the stamp load() and refresh() keep).
  History& cached = histories_[folder];
  const QString stamp = stamps_[folder];
  if (cached.stamp == stamp && !stamp.isEmpty()) return cached;
  cached.stamp = stamp;
  try {
    if (!cached.metrics) {
      cached.metrics = std::make_shared<gan::RunReader>(folder.toStdString());
      cached.windows = std::make_shared<gan::InsideReader>(folder.toStdString());
    }
    // Only the rows appended since the last stamp (a resume rewrites the files shorter: all again).
    const gan::RunReader::Update update = cached.metrics->poll();
    if (update.reset) {
      cached.steps.clear();
      cached.scores.clear();
    }
    cached.steps.append(QVector<gan::StepRecord>(update.steps.begin(), update.steps.end()));
    cached.scores.append(QVector<gan::QualityRecord>(update.quality.begin(), update.quality.end()));
    gan::InsideReader::Update windows = cached.windows->poll();
    if (windows.reset) cached.inside.clear();
    for (gan::InsideRecord& record : windows.windows) cached.inside.push_back(std::move(record));
  } catch (const std::exception& e) {
    statusBar()->showMessage(QString::fromUtf8(e.what()));
  }
  return cached;
}

void RunsWindow::updateComparison() {
  std::vector<ComparedRun> runs;
  std::vector<CompareSamples::Run> grids;
  for (int i = 0; i < compared_.size(); ++i) {
    const int row = model_->rowOf(compared_[i]);
    if (row < 0) continue;
    ComparedRun run;
    run.colour = compare_colour(i);
    run.label = model_->differenceLabel(row);  // what sets it apart ("G lr 0.0004, D lr 0.0001"), else its name
    run.loss = model_->run(row).config.model.loss;
    const History& read = history(compared_[i]);
    run.steps = read.steps;
    run.scores = read.scores;
    run.inside = read.inside;
    grids.push_back({compared_[i], run.label, run.colour});
    runs.push_back(std::move(run));
  }
  // Only the compared runs' rows are kept.
  for (auto it = histories_.begin(); it != histories_.end();) {
    it = compared_.contains(it->first) ? std::next(it) : histories_.erase(it);
  }
  charts_->setRuns(runs);
  samples_->setRuns(grids);
  updateScatter();
}

void RunsWindow::updateScatter() {
  // From the runs' summaries alone: a new ranking step or metric reads no file.
  std::vector<ScoreScatter::Point> points;
  const qint64 at = model_->rankStep();
  const bool fid = rank_by_->currentIndex() == 1;
  const QStringList keys = model_->differingKeys();
  for (int i = 0; i < compared_.size(); ++i) {
    const int row = model_->rowOf(compared_[i]);
    if (row < 0) continue;
    const gan::RunSummary& summary = model_->run(row);
    ScoreScatter::Point point;
    point.run = QString::fromStdString(summary.name);
    point.colour = compare_colour(i);
    const gan::ScoredStep* score = at > 0 ? summary.score_at(at) : summary.latest_score();
    point.scored = score != nullptr;
    point.score = score ? (fid ? score->fid : score->inception_score) : 0;
    for (const QString& key : keys) {
      const gan::FieldValue value = gan::find_config_field(key.toStdString())->get(summary.config);
      if (const auto* d = std::get_if<double>(&value)) point.values.emplace_back(key, *d);
      if (const auto* n = std::get_if<std::int64_t>(&value)) point.values.emplace_back(key, static_cast<double>(*n));
    }
    points.push_back(std::move(point));
  }
  const QString score_name = (fid ? tr("FID-MNIST") : tr("Inception Score")) + (at > 0 ? tr(" @ %1").arg(at) : tr(" (latest)"));
  scatter_->setPoints(points, score_name);
}

void RunsWindow::rankBy(Rank rank, qint64 step) {
  {
    const QSignalBlocker a(rank_by_), b(rank_step_);
    rank_by_->setCurrentIndex(rank == Rank::kInceptionScore ? 0 : 1);
    rank_step_->setValue(static_cast<int>(step));
  }
  model_->setRankStep(step);
  const bool fid = rank == Rank::kFid;
  // Through the view, so that the header shows which column sorts and which way.
  table_->sortByColumn(model_->columnOf(fid ? RunsModel::Column::kFidAt : RunsModel::Column::kScoreAt),
                       fid ? Qt::AscendingOrder : Qt::DescendingOrder);
  updateScatter();
}

void RunsWindow::askFork() {
  const QStringList folders = selectedFolders();
  if (folders.size() != 1) return;
  const auto checkpoints = gan::list_checkpoints(to_path(folders.front()));
  if (checkpoints.empty()) {
    QMessageBox::information(this, tr("Fork"), tr("%1 has no checkpoints to fork from").arg(folders.front()));
    return;
  }
  QStringList items;
  int current = static_cast<int>(checkpoints.size()) - 1;
  for (std::size_t i = 0; i < checkpoints.size(); ++i) {
    const qint64 step = gan::checkpoint_step(checkpoints[i]);
    items << tr("step %1").arg(step);
    if (model_->rankStep() > 0 && step <= model_->rankStep()) current = static_cast<int>(i);
  }
  bool ok = false;
  const QString item = QInputDialog::getItem(this, tr("Fork from checkpoint"), tr("Start the new run from:"), items, current,
                                             false, &ok);
  if (!ok) return;
  emit forkRequested(folders.front(), QString::fromStdString(checkpoints[static_cast<std::size_t>(items.indexOf(item))].string()));
}

void RunsWindow::followSweep(SweepLauncher* sweep) {
  if (sweep_ != sweep) {
    sweep_ = sweep;
    connect(sweep, &SweepLauncher::output, this, [this](const QString& line) { statusBar()->showMessage(line); });
    connect(sweep, &SweepLauncher::finished, this, [this](int code) {
      stop_sweep_->setEnabled(false);
      statusBar()->showMessage(code == 0 ? tr("The sweep is done: %1").arg(sweep_->folder())
                                         : tr("The sweep ended (exit %1); `gan-sweep %2` continues it").arg(code).arg(sweep_->folder()));
      refresh();
    });
  }
  stop_sweep_->setEnabled(sweep->running());
}

void RunsWindow::closeEvent(QCloseEvent* event) {
  QMainWindow::closeEvent(event);
  emit closed();
}

bool RunsWindow::setError(const QString& message) {
  error_ = message;
  statusBar()->showMessage(message);
  return false;
}

}  // namespace gan::ui
