// Test helper: runs a built mcrgen/mcrsink binary as a child process with its output captured
// in files, waits with a deadline (killing it on timeout) and never leaves it running.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace mcr::tools::test {

// The tools are built next to the test binary; MCR_TOOLS_BIN_DIR overrides that.
inline std::filesystem::path tools_bin_dir() {
  if (const char* dir = std::getenv("MCR_TOOLS_BIN_DIR"); dir != nullptr && *dir != '\0') return dir;
  return std::filesystem::read_symlink("/proc/self/exe").parent_path();
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scratch directory removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mcr-tools-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct ToolResult {
  int exit_code = -1;  // -1: killed on timeout or by a signal
  std::string out;
  std::string err;
};

class ToolProcess {
 public:
  ToolProcess(const std::string& tool, const std::vector<std::string>& args, const TempDir& dir)
      : out_(dir.path() / (tool + "-" + std::to_string(++serial_) + ".out")),
        err_(dir.path() / (tool + "-" + std::to_string(serial_) + ".err")) {
    const std::string binary = (tools_bin_dir() / tool).string();
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
      throw std::runtime_error("cannot start " + binary + ": " + std::strerror(error) +
                               " (build the mcrgen and mcrsink targets, or set MCR_TOOLS_BIN_DIR)");
    }
  }
  ToolProcess(const ToolProcess&) = delete;
  ToolProcess& operator=(const ToolProcess&) = delete;
  ~ToolProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void send_signal(int signal_number) const { ::kill(pid_, signal_number); }

  ToolResult wait(std::chrono::milliseconds timeout) {
    ToolResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    result.out = read_text(out_);
    result.err = read_text(err_);
    return result;
  }

 private:
  static inline int serial_ = 0;
  std::filesystem::path out_;
  std::filesystem::path err_;
  pid_t pid_ = -1;
};

// The first occurrence of "key":<number> in a report (totals come before the streams array).
inline double json_number(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const auto at = json.find(needle);
  if (at == std::string::npos) throw std::runtime_error("no \"" + key + "\" in " + json);
  return std::stod(json.substr(at + needle.size()));
}

}  // namespace mcr::tools::test
