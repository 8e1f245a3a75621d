// The few bpf(2) commands the datapath issues itself: map element access and tcx link creation.
// Each returns 0 (or a descriptor) on success and -errno on failure.
#pragma once

#include <cstdint>

namespace mcr {

int bpf_map_update(int map_fd, const void* key, const void* value);
int bpf_map_lookup(int map_fd, const void* key, void* value);
int bpf_map_delete(int map_fd, const void* key);
// Attaches the program to the interface's tcx ingress; the returned link descriptor keeps it
// attached until it is closed (or the process exits).
int bpf_tcx_ingress_link(int program_fd, unsigned ifindex);

}  // namespace mcr
