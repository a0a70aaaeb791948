#include "ui/session/training_session.h"

#include <QFileInfo>
#include <QThread>

#include <functional>
#include <tuple>
#include <utility>

#include "core/data/dataset.h"
#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "core/training/run_setup.h"
#include "core/training/trainer.h"

namespace gan::ui {
namespace {

// The studio asks for MNIST before a run starts (the dataset dialog), so it loads without fetching.
gan::ImageSet load_training_images(const gan::DataConfig& data) { return gan::load_dataset(data); }

}  // namespace

// Listeners hear the session's signals on the GUI thread whoever tells them: a listener connected
// without a context object (a test's QSignalSpy) must never be called on the training thread.
// Queued, so everything told keeps its order.
template <typename... Params, typename... Args>
void TrainingSession::tell(void (TrainingSession::*signal)(Params...), Args&&... args) {
  QMetaObject::invokeMethod(
      this,
      [this, signal, values = std::make_tuple(std::forward<Args>(args)...)] {
        std::apply([&](const auto&... value) { (this->*signal)(value...); }, values);
      },
      Qt::QueuedConnection);
}

// Lives on the training thread. run() blocks that thread for the whole run.
class TrainingWorker : public QObject, private gan::TrainingObserver {
  Q_OBJECT

 public:
  explicit TrainingWorker(TrainingSession* session) : session_(session) {}

  void start(const gan::Config& config, const QString& run_folder, const QString& label, qint64 max_steps) {
    execute([&] { return gan::open_new_run(config, run_folder.toStdString(), label.toStdString(), load_training_images); },
            max_steps, Announce::kNothing);
  }

  /// Resumes the run in `run_folder` from its newest checkpoint, or from `from` (a rollback).
  void resume(const QString& run_folder, const QString& from, qint64 max_steps) {
    execute([&] { return gan::open_resumed_run((from.isEmpty() ? run_folder : from).toStdString(), {}, load_training_images); },
            max_steps, Announce::kResumed);
  }

  void fork(const QString& checkpoint, const gan::Config& config, const QString& run_folder, qint64 max_steps) {
    execute([&] { return gan::open_forked_run(checkpoint.toStdString(), config, run_folder.toStdString(), load_training_images); },
            max_steps, Announce::kNothing);
  }

  void load(const QString& checkpoint_or_run) {
    try {
      const std::filesystem::path checkpoint = gan::find_checkpoint(checkpoint_or_run.toStdString(), "load a model");
      const gan::CheckpointInfo info = gan::read_checkpoint_info(checkpoint);
      if (auto current = session_->trainer()) {
        // A checkpoint of the model already open (a move along the run's timeline): its weights
        // swapped in, keeping the data, the judge and its neighbour table. Loading them again on
        // every move cost seconds, and gigabytes for a large colour folder. Only this thread runs
        // an idle trainer's tasks, and no run is in progress (loadModel), so nothing else uses it.
        try {
          current->resume_from(checkpoint);  // checks everything first: a refusal changes nothing
          session_->setTrainer(current);     // the config's live values may differ: announced again
          session_->tell(&TrainingSession::modelLoaded, info.step);
          return;
        } catch (const gan::CheckpointError&) {
          // Another run's model (another config or dataset): opened anew below.
        }
        session_->setTrainer(nullptr);  // released here, on this thread, before the new one loads
      }
      auto trainer = std::make_shared<gan::Trainer>(info.config, gan::load_dataset(info.config.data));
      trainer->resume_from(checkpoint);
      session_->setTrainer(trainer);
      session_->tell(&TrainingSession::modelLoaded, info.step);
    } catch (const std::exception& e) {
      session_->tell(&TrainingSession::modelLoadFailed, QString::fromStdString(e.what()));
    }
  }

 private:
  enum class Announce { kNothing, kResumed };

  // Opens the run (data loading included, core/training/run_setup.h) on this thread, then trains.
  void execute(const std::function<gan::OpenedRun()>& open, qint64 max_steps, Announce announce) {
    gan::OpenedRun p;
    try {
      p = open();
      p.trainer->enable_checkpoints(p.folder->path());
    } catch (const std::exception& e) {
      finish(gan::RunState::kFailed, QString::fromStdString(e.what()));
      return;
    }
    if (announce == Announce::kResumed) session_->tell(&TrainingSession::resumed, p.from_step);
    session_->setTrainer(p.trainer);
    if (session_->stop_requested_) p.trainer->stop();  // Stop pressed while the data loaded

    gan::ObserverFanOut observers({p.folder.get(), this});
    const gan::RunState state = p.trainer->run(observers, max_steps);
    QString message = last_message_;
    try {
      p.trainer->save_models(p.folder->model_path(), gan::Replace::kAllowed);  // the run's own latest weights
    } catch (const std::exception& e) {
      if (!message.isEmpty()) message += "; ";
      message += QString::fromStdString(e.what());
    }
    finish(state, message);
  }

  void finish(gan::RunState state, const QString& message) {
    QMetaObject::invokeMethod(
        session_,
        [session = session_, state, message] {
          session->active_ = false;  // before anyone hears of it: Start is offered again
          emit session->finished(state, message);
        },
        Qt::QueuedConnection);
  }

  void on_started(const gan::RunInfo& info) override { session_->tell(&TrainingSession::started, info); }
  void on_steps(const std::vector<gan::StepRecord>& steps, const gan::Progress& progress) override {
    session_->tell(&TrainingSession::stepsReady, QVector<gan::StepRecord>(steps.begin(), steps.end()), progress);
  }
  void on_sample(std::int64_t step, const gan::Image& grid) override {
    session_->tell(&TrainingSession::sampleReady, qint64{step}, to_qimage(grid));
  }
  void on_hyperparameters(std::int64_t step, const gan::LiveHyperparameters& values) override {
    session_->tell(&TrainingSession::hyperparametersApplied, qint64{step}, values);
  }
  void on_state(gan::RunState state, const std::string& message) override {
    last_message_ = QString::fromStdString(message);
    session_->tell(&TrainingSession::stateChanged, state, last_message_);
  }
  void on_judge_training(const gan::JudgeTraining& training) override {
    session_->tell(&TrainingSession::judgeTraining, QString::fromStdString(training.dataset), training.fraction);
  }
  void on_judge(const gan::JudgeReference& reference) override { session_->tell(&TrainingSession::judgeReady, reference); }
  void on_judge_unavailable(const std::string& reason) override {
    session_->tell(&TrainingSession::judgeUnavailable, QString::fromStdString(reason));
  }
  void on_quality(const gan::QualityRecord& record) override { session_->tell(&TrainingSession::qualityReady, record); }
  void on_alarm(const gan::Alarm& alarm) override { session_->tell(&TrainingSession::alarmRaised, alarm); }
  void on_message(const std::string& text) override { session_->tell(&TrainingSession::message, QString::fromStdString(text)); }
  void on_inside(const gan::InsideRecord& record) override { session_->tell(&TrainingSession::insideReady, record); }
  void on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) override {
    session_->tell(&TrainingSession::stepModeChanged, qint64{step}, QString::fromStdString(mode), QString::fromStdString(reason));
  }

  TrainingSession* session_;
  QString last_message_;
};

TrainingSession::TrainingSession(QObject* parent) : QObject(parent) {
  register_meta_types();
  worker_ = new TrainingWorker(this);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.setObjectName("training");
  thread_.start();
}

TrainingSession::~TrainingSession() {
  stop();
  thread_.quit();  // processed once the worker's run() has returned
  thread_.wait();
}

void TrainingSession::start(const gan::Config& config, const QString& run_folder, qint64 max_steps,
                            const QString& label) {
  if (active_) return;
  active_ = true;
  stop_requested_ = false;
  setTrainer(nullptr);
  QMetaObject::invokeMethod(worker_, [worker = worker_, config, run_folder, label, max_steps] {
    worker->start(config, run_folder, label, max_steps);
  });
}

void TrainingSession::resumeRun(const QString& run_folder, qint64 max_steps, const QString& checkpoint) {
  if (active_) return;
  active_ = true;
  stop_requested_ = false;
  setTrainer(nullptr);
  QMetaObject::invokeMethod(worker_, [worker = worker_, run_folder, checkpoint, max_steps] {
    worker->resume(run_folder, checkpoint, max_steps);
  });
}

void TrainingSession::setTrainer(std::shared_ptr<gan::Trainer> trainer) {
  if (trainer) {
    tell(&TrainingSession::modelConfig, trainer->config());
    tell(&TrainingSession::modelImageSize, static_cast<int>(trainer->info().image_cols),
         static_cast<int>(trainer->info().image_rows));
  }
  std::shared_ptr<gan::Trainer> old;
  {
    std::lock_guard lock(trainer_mutex_);
    if (trainer) trainer->set_step_rate_limit(step_rate_limit_);  // slow motion carries over to the next run
    old = std::exchange(trainer_, std::move(trainer));
  }
  // The last owner destroys a trainer, and that may wait: its judge loader's thread hears a cancel
  // only while the classifier trains, not in the training set's feature pass (about 30 s) or a
  // dataset load. Never on the GUI thread: the worker releases it, before whatever is queued next
  // (a run, a model to load) and holding no lock.
  if (old && QThread::currentThread() == thread()) {
    QMetaObject::invokeMethod(worker_, [old = std::move(old)]() mutable { old.reset(); });
  }
}

std::shared_ptr<gan::Trainer> TrainingSession::trainer() const {
  std::lock_guard lock(trainer_mutex_);
  return trainer_;
}

bool TrainingSession::hasModel() const { return trainer() != nullptr; }

void TrainingSession::pause() {
  if (auto t = trainer()) t->pause();
}

void TrainingSession::resume() {
  if (auto t = trainer()) t->resume();
}

void TrainingSession::stepOnce(gan::StepSide side) {
  if (auto t = trainer()) t->step_once(side);
}

void TrainingSession::setStepRateLimit(double steps_per_second) {
  std::shared_ptr<gan::Trainer> current;
  {
    std::lock_guard lock(trainer_mutex_);
    step_rate_limit_ = steps_per_second;
    current = trainer_;
  }
  if (current) current->set_step_rate_limit(steps_per_second);
}

double TrainingSession::stepRateLimit() const {
  std::lock_guard lock(trainer_mutex_);
  return step_rate_limit_;
}

void TrainingSession::stop() {
  stop_requested_ = true;
  if (auto t = trainer()) t->stop();
}

void TrainingSession::setHyperparameters(const gan::LiveHyperparameters& values) {
  if (auto t = trainer()) t->set_hyperparameters(values);
}

void TrainingSession::fork(const QString& checkpoint, const gan::Config& config, const QString& run_folder,
                           qint64 max_steps) {
  if (active_) return;
  active_ = true;
  stop_requested_ = false;
  setTrainer(nullptr);
  QMetaObject::invokeMethod(worker_, [worker = worker_, checkpoint, config, run_folder, max_steps] {
    worker->fork(checkpoint, config, run_folder, max_steps);
  });
}

void TrainingSession::loadModel(const QString& checkpoint_or_run) {
  if (active_) return;
  // The model open now stays until the worker has the new one (its weights may simply be swapped).
  QMetaObject::invokeMethod(worker_, [worker = worker_, checkpoint_or_run] { worker->load(checkpoint_or_run); });
}

namespace {

QVector<QImage> to_qimages(const std::vector<gan::Image>& images) {
  QVector<QImage> result;
  result.reserve(static_cast<int>(images.size()));
  for (const auto& image : images) result.push_back(to_qimage(image));
  return result;
}

}  // namespace

// During a run the trainer takes a request between steps. Otherwise Trainer::post would run it
// right here, on the GUI thread, and drawing 10,000 digits or loading the judge takes seconds: the
// trainer refuses it (kRefuse, decided under its lock, so a run ending meanwhile cannot slip it
// through) and the idle training thread runs it instead, where no run can start meanwhile.
void TrainingSession::askTrainer(const std::function<bool(gan::Trainer&, gan::Trainer::WhenIdle)>& ask) {
  auto t = trainer();
  if (!t) return;
  if (!ask(*t, gan::Trainer::WhenIdle::kRefuse)) {
    QMetaObject::invokeMethod(worker_, [t, ask] { ask(*t, gan::Trainer::WhenIdle::kRunHere); });
  }
}

void TrainingSession::requestInterpolation(int frames, quint64 seed) {
  auto done = [this](std::vector<gan::Image> images) { tell(&TrainingSession::interpolationReady, to_qimages(images)); };
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_interpolation(frames, seed, done, when_idle);
  });
}

void TrainingSession::requestDigits(int count, int digit) {
  auto done = [this](std::vector<gan::Image> digits) { tell(&TrainingSession::digitsReady, to_qimages(digits)); };
  const std::optional<std::int64_t> asked = digit >= 0 ? std::optional<std::int64_t>(digit) : std::nullopt;
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_digits(count, done, when_idle, asked);
  });
}

void TrainingSession::requestGeneratorExport(gan::ExportFormat format, const QString& folder, gan::Replace existing,
                                             const QString& source) {
  auto done = [this, folder](const QStringList& files, const QString& error) {
    tell(&TrainingSession::generatorExported, folder, files, error);
  };
  const std::filesystem::path path = folder.toStdString();
  // The run's name, not its path: an export is often shared.
  const std::string about = source.isEmpty() ? std::string() : "run " + QFileInfo(source).fileName().toStdString();
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.post(
        [=](gan::Gan& gan) {
          try {
            const gan::ExportedGenerator exported = gan::export_generator(gan, format, path, existing, about);
            QStringList files;
            for (const auto& file : exported.files) files << QString::fromStdString(file);
            done(files, {});
          } catch (const std::exception& e) {
            done({}, QString::fromStdString(e.what()));
          }
        },
        when_idle);
  });
}

void TrainingSession::requestModelSummary(const QString& network, const QString& block) {
  gan::SummaryScope scope;
  scope.every_histogram = false;
  scope.network = network.toStdString();
  scope.block = block.toStdString();
  if (!trainer()) return;
  // One at a time (each waits for a gap between two steps): one asked for meanwhile goes out when
  // the pending one comes back, unless that was lost (a task that failed).
  if (summary_pending_ && summary_asked_.elapsed() < 5000) {
    summary_again_ = scope;
    return;
  }
  summary_pending_ = true;
  summary_again_.reset();
  summary_asked_.start();
  auto done = [this](gan::ModelSummary summary) {
    QMetaObject::invokeMethod(
        this,
        [this, summary = std::move(summary)] {
          summary_pending_ = false;
          emit modelSummaryReady(summary);
          if (summary_again_) {
            const gan::SummaryScope again = *summary_again_;
            requestModelSummary(QString::fromStdString(again.network), QString::fromStdString(again.block));
          }
        },
        Qt::QueuedConnection);
  };
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_model_summary(scope, done, when_idle);
  });
}

void TrainingSession::requestVerdict(const gan::Image& digit) {
  // Each answer carries the digit it is about: the pad may have changed while it was on its way.
  auto verdict_done = [this, digit](gan::Verdict verdict) { tell(&TrainingSession::verdictReady, std::move(verdict), digit); };
  auto judge_done = [this, digit](gan::JudgeView view) { tell(&TrainingSession::judgeViewReady, std::move(view), digit); };
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) { return t.request_verdict(digit, verdict_done, when_idle); });
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_judge_view(digit, judge_done, when_idle);
  });
}

void TrainingSession::requestNeighbours(const gan::Image& digit, gan::NeighbourSpace space, int count) {
  auto done = [this, digit, space](gan::NeighbourView view) {
    tell(&TrainingSession::neighboursReady, std::move(view), digit, space);
  };
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_neighbours(digit, space, count, done, when_idle);
  });
}

void TrainingSession::requestLatentPick(int grid_index, int directions, gan::LatentDirections kind, quint64 seed) {
  auto done = [this](gan::LatentPick pick) { tell(&TrainingSession::latentPicked, std::move(pick)); };
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_latent_pick(grid_index, directions, kind, seed, done, when_idle);
  });
}

void TrainingSession::requestLatentDigits(const std::vector<gan::LatentPoint>& points, int purpose) {
  auto done = [this, points, purpose](std::vector<gan::Image> digits) {
    tell(&TrainingSession::latentDigitsReady, points, to_qimages(digits), purpose);
  };
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_latent_digits(points, done, when_idle);
  });
}

void TrainingSession::requestClassDigits(int label, int count) {
  auto done = [this, label](std::vector<gan::Image> digits, double share) {
    tell(&TrainingSession::classDigitsReady, label, to_qimages(digits), share);
  };
  askTrainer([=](gan::Trainer& t, gan::Trainer::WhenIdle when_idle) {
    return t.request_class_digits(label, count, done, when_idle);
  });
}

}  // namespace gan::ui

#include "training_session.moc"
