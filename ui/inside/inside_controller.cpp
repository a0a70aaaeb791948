#include "ui/inside/inside_controller.h"

#include <QDockWidget>
#include <QTabWidget>

#include "core/run/checkpoint_files.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/model_diagram.h"
#include "ui/session/training_session.h"

namespace gan::ui {

InsideController::InsideController(TrainingSession* session, const Views& views, std::function<QString()> run_folder,
                                   QObject* parent)
    : QObject(parent), session_(session), views_(views), run_folder_(std::move(run_folder)) {
  connect(views_.tabs, &QTabWidget::currentChanged, this, [this] { refreshModelDiagram(/*now=*/true); });
  connect(views_.dock, &QDockWidget::visibilityChanged, this, [this] { refreshModelDiagram(/*now=*/true); });
  connect(views_.diagram, &ModelDiagram::blockSelected, this, [this] { refreshModelDiagram(/*now=*/true); });
  // The diagram colours its blocks by the newest window's gradients.
  connect(views_.inside, &InsideView::latestChanged, this, [this] {
    if (const auto& latest = views_.inside->latestRecord()) views_.diagram->setInside(*latest);
  });
  connect(session_, &TrainingSession::insideReady, views_.inside, &InsideView::addRecord);
  connect(session_, &TrainingSession::modelSummaryReady, views_.diagram, &ModelDiagram::setSummary);
  connect(session_, &TrainingSession::stateChanged, this,
          [this](gan::RunState state) { paused_ = state == gan::RunState::kPaused; });
  connect(session_, &TrainingSession::finished, this, [this] { paused_ = false; });
  connect(session_, &TrainingSession::stepsReady, this, [this](const QVector<gan::StepRecord>& steps) {
    if (!steps.isEmpty()) views_.diagram->setLatestStep(steps.back());
    refreshModelDiagram(/*now=*/paused_);
  });
  connect(session_, &TrainingSession::modelLoaded, this, [this] { refreshModelDiagram(/*now=*/true); });
}

void InsideController::refreshModelDiagram(bool now) {
  if (!views_.diagram->isVisible()) return;
  if (!now && refreshed_.isValid() && refreshed_.elapsed() < 2000) return;
  if (!session_->hasModel()) {
    // An opened run: its newest checkpoint brings its model (as Load checkpoint for exports does).
    const QString run = run_folder_();
    if (!session_->isActive() && !run.isEmpty() && !views_.diagram->hasSummary() &&
        !gan::list_checkpoints(run.toStdString()).empty()) {
      session_->loadModel(run);
    }
    return;
  }
  refreshed_.start();
  // The weight histogram only of the block shown: counting every weight costs as much as a step on
  // the course-report model.
  const gan::BlockSummary* shown = views_.diagram->selectedBlock();
  session_->requestModelSummary(shown ? QString::fromStdString(shown->network) : QString(),
                                shown ? QString::fromStdString(shown->name) : QString());
}

}  // namespace gan::ui
