// The tools' exit codes and messages: every exception of a tool's body becomes one line on stderr.
#include "common/errors.h"

#include <iostream>

namespace mcr::tools {

int run_tool(const char* tool, int argc, char** argv, int (*body)(int, char**)) {
  try {
    return body(argc, argv);
  } catch (const UsageError& error) {
    std::cerr << tool << ": " << error.what() << " (see " << tool << " --help)\n";
    return kExitUsageError;
  } catch (const std::exception& error) {
    std::cerr << tool << ": " << error.what() << "\n";
    return kExitSystemError;
  }
}

}  // namespace mcr::tools
