#include "stop_signal.h"

#include <csignal>

namespace gan::app {
namespace {

std::atomic<int> g_signal{0};  // lock-free: safe to store from a signal handler
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_signal(int signal) { g_signal = signal; }

}  // namespace

void install_stop_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // SIGTERM always ends with the checkpoint: on a cancel or preemption Slurm signals every process
  // of the step, and gan-sweep forwards it too, so gan-train gets it twice within a moment; with the
  // handler reset by the first, the second killed it before the checkpoint (Slurm's KillWait
  // leaves 30 s for it). A person's second Ctrl-C still ends the process at once.
  action.sa_flags = 0;
  sigaction(SIGTERM, &action, nullptr);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
}

const std::atomic<int>& stop_signal() { return g_signal; }

}  // namespace gan::app
