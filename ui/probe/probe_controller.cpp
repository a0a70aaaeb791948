#include "ui/probe/probe_controller.h"

#include <QDockWidget>

#include "ui/probe/ask_discriminator.h"
#include "ui/probe/latent_explorer.h"
#include "ui/probe/neighbour_panel.h"
#include "ui/samples/sample_view.h"
#include "ui/session/training_session.h"

namespace gan::ui {

ProbeController::ProbeController(TrainingSession* session, const Views& views, std::function<void(const QString&)> note,
                                 std::function<void(const QString&)> fail, QObject* parent)
    : QObject(parent), session_(session), views_(views), note_(std::move(note)), fail_(std::move(fail)) {
  connectViews();
  connectSession();
}

void ProbeController::connectViews() {
  connect(views_.samples, &SampleView::digitClicked, this, &ProbeController::pickDigit);
  connect(views_.ask_dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
    if (visible) askAboutPad();
  });
  connect(views_.ask, &AskDiscriminator::askRequested, this, &ProbeController::askAboutPad);
  connect(views_.neighbours, &NeighbourPanel::neighboursRequested, this,
          [this](const gan::Image& digit, gan::NeighbourSpace space) {
            if (!session_->hasModel()) {
              views_.neighbours->setNoModel(tr("The training set is searched with a run's judge: start or resume a "
                                               "run, or open one that has a checkpoint."));
              return;
            }
            session_->requestNeighbours(digit, space, NeighbourPanel::kNeighbours);
          });
  connect(views_.explorer, &LatentExplorer::pickRequested, this,
          [this](int index, int directions, gan::LatentDirections kind, quint64 seed) {
            if (!session_->hasModel()) {
              views_.explorer->setNoModel(tr("The explorer walks a model's latent space: start or resume a run, or "
                                             "open one that has a checkpoint."));
              return;
            }
            session_->requestLatentPick(index, directions, kind, seed);
          });
  connect(views_.explorer, &LatentExplorer::drawRequested, session_, &TrainingSession::requestLatentDigits);
  connect(views_.explorer, &LatentExplorer::exported, this, [this](const QString& path, const QString& error) {
    if (error.isEmpty()) {
      note_(tr("Saved %1").arg(path));
    } else {
      fail_(tr("Could not save %1: %2").arg(path, error));
    }
  });
}

void ProbeController::connectSession() {
  connect(session_, &TrainingSession::verdictReady, views_.ask, &AskDiscriminator::setVerdict);
  connect(session_, &TrainingSession::judgeViewReady, views_.ask, &AskDiscriminator::setJudge);
  connect(session_, &TrainingSession::modelImageSize, views_.ask, &AskDiscriminator::setImageSize);
  connect(session_, &TrainingSession::neighboursReady, views_.neighbours, &NeighbourPanel::setNeighbours);
  connect(session_, &TrainingSession::latentPicked, views_.explorer, &LatentExplorer::setPick);
  connect(session_, &TrainingSession::latentDigitsReady, views_.explorer, &LatentExplorer::setDrawn);
  // Another model: the picked point was the last one's.
  connect(session_, &TrainingSession::modelConfig, views_.explorer, [this] {
    views_.explorer->setNoModel(tr("Click a digit of the sample grid to walk the latent space around it."));
  });
  connect(session_, &TrainingSession::stateChanged, this,
          [this](gan::RunState state) { paused_ = state == gan::RunState::kPaused; });
  connect(session_, &TrainingSession::finished, this, [this] { paused_ = false; });
  // Ask D follows the newest model, at most once a second (at once for a step taken by hand).
  connect(session_, &TrainingSession::stepsReady, this, [this] {
    if (views_.ask->isVisible() && (!asked_.isValid() || asked_.elapsed() >= 1000 || paused_)) askAboutPad();
  });
  // A model loaded (an opened run, a timeline move): the questions asked again of it.
  connect(session_, &TrainingSession::modelLoaded, this, [this] {
    askAboutPad();
    if (views_.explorer->gridIndex() >= 0 && views_.explorer->isVisible()) {
      views_.explorer->pick(views_.explorer->gridIndex());
    }
  });
}

void ProbeController::askAboutPad() {
  if (!views_.ask->isVisible()) return;
  if (!session_->hasModel()) {
    views_.ask->setNoModel(tr("D answers for a model: start or resume a run, or open one that has a checkpoint."));
    return;
  }
  asked_.start();
  session_->requestVerdict(views_.ask->pad()->digit());
}

void ProbeController::pickDigit(int index, const QImage& digit) {
  views_.picked_dock->show();
  views_.picked_dock->raise();
  views_.neighbours->setDigit(to_image(digit));
  views_.explorer->pick(index);
}

}  // namespace gan::ui
