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
  action.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends the process at once
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<int>& stop_signal() { return g_signal; }

}  // namespace gan::app
