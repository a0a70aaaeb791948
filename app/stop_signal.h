// Ctrl-C and SIGTERM (a scheduler's preemption or time limit) for the command-line tools: the
// handler only records the signal, and the program stops between steps, writing a checkpoint. A
// second Ctrl-C ends the process at once; SIGTERM, however often it comes, waits for the checkpoint.
#pragma once

#include <atomic>

namespace gan::app {

/// Routes SIGINT and SIGTERM to stop_signal().
void install_stop_signal_handlers();

/// The signal received (SIGINT, SIGTERM), or 0 while none has come.
const std::atomic<int>& stop_signal();

}  // namespace gan::app
