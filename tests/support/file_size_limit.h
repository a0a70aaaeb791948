// A full disk for tests: runs a body in a forked child whose files may not grow past a limit
// (RLIMIT_FSIZE), so writes past it fail with EFBIG as they would with ENOSPC, without needing a
// small file system. Shared by the core's disk-full tests and the UI's GIF export test.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>

namespace gan::test {

/// Runs `body` in a child process whose files may not grow past `limit` bytes and returns the exit
/// code it returned: 98 if it threw, 100 + the signal if it was killed.
inline int with_file_size_limit(rlim_t limit, const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // a failed write, not a killed process
    const rlimit r{limit, limit};
    ::setrlimit(RLIMIT_FSIZE, &r);
    int code = 99;
    try {
      code = body();
    } catch (...) {
      code = 98;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 100 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace gan::test
