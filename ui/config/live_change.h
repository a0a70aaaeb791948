// What a live edit changed, as the charts' markers and the status bar say it: "G lr 0.001, D steps 2".
#pragma once

#include <QString>

#include "core/run/observer.h"

namespace gan::ui {

/// Each live field of the config (core/config/config_fields.h) whose value differs, with its new
/// value, in table order.
QString describeLiveChange(const gan::LiveHyperparameters& before, const gan::LiveHyperparameters& after);

}  // namespace gan::ui
