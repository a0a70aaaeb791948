// The probes' wiring: Ask D (its pad, the verdicts of D and the judge), the nearest training images
// and the latent explorer of a digit picked on the sample grid. It turns the views' requests into
// the session's and the session's answers into the views', and says why nothing comes when there
// is no model. MainWindow builds the views and places them; this holds what they do together.
#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QObject>

#include <functional>

class QDockWidget;

namespace gan::ui {

class AskDiscriminator;
class LatentExplorer;
class NeighbourPanel;
class SampleView;
class TrainingSession;

class ProbeController : public QObject {
  Q_OBJECT

 public:
  struct Views {
    AskDiscriminator* ask;
    QDockWidget* ask_dock;
    NeighbourPanel* neighbours;
    LatentExplorer* explorer;
    QDockWidget* picked_dock;
    SampleView* samples;  // where digits are picked
  };
  /// `note` shows a short message (the status bar), `fail` an error (the banner).
  ProbeController(TrainingSession* session, const Views& views, std::function<void(const QString&)> note,
                  std::function<void(const QString&)> fail, QObject* parent);

  /// Asks D and the judge about the pad's digit when Ask D is shown (and there is a model).
  void askAboutPad();
  /// A digit of the sample grid was clicked: its dock opens, its neighbours and the explorer follow it.
  void pickDigit(int index, const QImage& digit);

 private:
  void connectViews();
  void connectSession();

  TrainingSession* session_;
  Views views_;
  std::function<void(const QString&)> note_;
  std::function<void(const QString&)> fail_;
  QElapsedTimer asked_;  // when D was last asked about the pad
  bool paused_ = false;  // a paused run's hand steps are answered at once
};

}  // namespace gan::ui
