// libbpf, opened at run time (dlopen of libbpf.so.1) rather than linked: Debian's libbpf.a is
// not position-independent, so it cannot go into the addon, and a hard link to libbpf.so.1 would
// stop the whole engine from loading on a host without it. Without libbpf the eBPF datapath is
// unavailable and says so; the socket path is unaffected. Only the object loader comes from
// libbpf: map access and tcx links are plain bpf(2) calls (bpf_syscall.h).
#pragma once

#include <bpf/libbpf.h>

#include <string>

namespace mcr {

struct LibbpfApi {
  decltype(&::libbpf_set_print) set_print = nullptr;
  decltype(&::bpf_object__open_mem) open_mem = nullptr;
  decltype(&::bpf_object__load) load = nullptr;
  decltype(&::bpf_object__close) close = nullptr;
  decltype(&::bpf_object__find_program_by_name) find_program = nullptr;
  decltype(&::bpf_program__fd) program_fd = nullptr;
  decltype(&::bpf_object__find_map_by_name) find_map = nullptr;
  decltype(&::bpf_map__fd) map_fd = nullptr;
  decltype(&::libbpf_num_possible_cpus) possible_cpus = nullptr;
};

// The process-wide libbpf, loaded on first use; nullptr with `why_not` set when it cannot be.
const LibbpfApi* libbpf_runtime(std::string& why_not);

}  // namespace mcr
