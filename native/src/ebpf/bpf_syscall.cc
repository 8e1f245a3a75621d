// bpf(2) by hand: four commands do not need a library.
#include "ebpf/bpf_syscall.h"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mcr {

namespace {

// From the kernel's uapi (6.6+); older headers predate tcx. The interface index goes in the
// field that shares its union with target_fd.
constexpr uint32_t kTcxIngress = 46;

int bpf(int command, bpf_attr& attr) {
  const long result = syscall(__NR_bpf, command, &attr, sizeof(attr));
  return result < 0 ? -errno : static_cast<int>(result);
}

int element_command(int command, int map_fd, const void* key, void* value, uint64_t flags) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.map_fd = static_cast<uint32_t>(map_fd);
  attr.key = reinterpret_cast<uintptr_t>(key);
  attr.value = reinterpret_cast<uintptr_t>(value);
  attr.flags = flags;
  return bpf(command, attr);
}

}  // namespace

int bpf_map_update(int map_fd, const void* key, const void* value) {
  return element_command(BPF_MAP_UPDATE_ELEM, map_fd, key, const_cast<void*>(value), BPF_ANY);
}

int bpf_map_lookup(int map_fd, const void* key, void* value) {
  return element_command(BPF_MAP_LOOKUP_ELEM, map_fd, key, value, 0);
}

int bpf_map_delete(int map_fd, const void* key) {
  return element_command(BPF_MAP_DELETE_ELEM, map_fd, key, nullptr, 0);
}

int bpf_tcx_ingress_link(int program_fd, unsigned ifindex) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.link_create.prog_fd = static_cast<uint32_t>(program_fd);
  attr.link_create.target_ifindex = ifindex;
  attr.link_create.attach_type = static_cast<bpf_attach_type>(kTcxIngress);
  return bpf(BPF_LINK_CREATE, attr);
}

}  // namespace mcr
