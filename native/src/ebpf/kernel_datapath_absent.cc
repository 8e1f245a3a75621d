// The build had no clang or no libbpf: the eBPF datapath is unavailable and says so.
#include "core/kernel_datapath.h"

namespace mcr {

std::unique_ptr<KernelDatapath> open_kernel_datapath(std::string& why_not) {
  why_not = "this build of the engine has no eBPF datapath (clang and libbpf were not found when it was built)";
  return nullptr;
}

}  // namespace mcr
