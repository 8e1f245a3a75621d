// The eBPF datapath with libbpf: opens the embedded object (relay_datapath.bpf.c, compiled at
// build time), loads it, mmaps the control entry and attaches the program with tcx links.
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include "core/kernel_datapath.h"
#include "ebpf/bpf_syscall.h"
#include "ebpf/embedded_object.h"
#include "ebpf/libbpf_runtime.h"
#include "net/fd.h"
#include "net/system_error.h"

namespace mcr {

namespace {

int quiet_libbpf(libbpf_print_level level, const char* format, va_list args) {
  (void)level;
  (void)format;
  (void)args;
  return 0;
}

struct ObjectCloser {
  const LibbpfApi* libbpf = nullptr;
  void operator()(bpf_object* object) const noexcept { libbpf->close(object); }
};

class LibbpfDatapath final : public KernelDatapath {
 public:
  LibbpfDatapath(const LibbpfApi& libbpf, std::unique_ptr<bpf_object, ObjectCloser> object)
      : libbpf_(libbpf), object_(std::move(object)) {
    program_fd_ = libbpf_.program_fd(libbpf_.find_program(object_.get(), "mcr_relay_ingress"));
    rules_fd_ = map_fd("rules");
    rules6_fd_ = map_fd("rules6");
    relay_counters_fd_ = map_fd("relay_counters");
    output_counters_fd_ = map_fd("output_counters");
    const int control_fd = map_fd("control");
    const long page = sysconf(_SC_PAGESIZE);
    void* mapped = mmap(nullptr, static_cast<size_t>(page), PROT_READ | PROT_WRITE, MAP_SHARED, control_fd, 0);
    if (mapped == MAP_FAILED) throw SystemError("", errno, "mmap of the eBPF control map failed");
    control_ = static_cast<volatile mcr_control*>(mapped);
    control_size_ = static_cast<size_t>(page);
    control_->active = 1;
    const int cpus = libbpf_.possible_cpus();
    cpus_ = cpus > 0 ? static_cast<size_t>(cpus) : 1;
  }

  ~LibbpfDatapath() override {
    links_.clear();  // detach first: no program run after this
    munmap(const_cast<mcr_control*>(control_), control_size_);
  }

  void hold_interface(unsigned ifindex) override {
    auto found = links_.find(ifindex);
    if (found != links_.end()) {
      ++found->second.holds;
      return;
    }
    const int link = bpf_tcx_ingress_link(program_fd_, ifindex);
    if (link < 0) {
      throw SystemError("", -link, "attaching the eBPF program to tcx ingress of interface " + std::to_string(ifindex));
    }
    links_.emplace(ifindex, Link{Fd(link), 1});
  }

  void release_interface(unsigned ifindex) override {
    auto found = links_.find(ifindex);
    if (found == links_.end()) return;
    if (--found->second.holds == 0) links_.erase(found);  // closing the link fd detaches
  }

  void put_rule(const mcr_rule_key& key, const mcr_rule& rule) override {
    const int stored = bpf_map_update(rules_fd_, &key, &rule);
    if (stored != 0) throw SystemError("", -stored, "storing an eBPF rule failed");
  }

  void delete_rule(const mcr_rule_key& key) override { bpf_map_delete(rules_fd_, &key); }

  void put_rule(const mcr_rule6_key& key, const mcr_rule6& rule) override {
    const int stored = bpf_map_update(rules6_fd_, &key, &rule);
    if (stored != 0) throw SystemError("", -stored, "storing an eBPF rule failed");
  }

  void delete_rule(const mcr_rule6_key& key) override { bpf_map_delete(rules6_fd_, &key); }

  void reset_relay_counters(uint32_t slot) override { zero(relay_counters_fd_, slot, sizeof(mcr_relay_counters)); }
  void reset_output_counters(uint32_t slot) override { zero(output_counters_fd_, slot, sizeof(mcr_output_counters)); }

  KernelRelayCounts relay_counters(uint32_t slot) const override {
    KernelRelayCounts sum;
    for (const auto& cpu : read_per_cpu<mcr_relay_counters>(relay_counters_fd_, slot)) {
      sum.packets_in += cpu.packets_in;
      sum.bytes_in += cpu.bytes_in;
      sum.ttl_expired += cpu.ttl_expired;
      sum.not_forwarded_standby += cpu.not_forwarded_standby;
      sum.held_by_fence += cpu.held_by_fence;
      sum.last_packet_monotonic_ns = std::max(sum.last_packet_monotonic_ns, static_cast<int64_t>(cpu.last_packet_ns));
    }
    return sum;
  }

  KernelOutputCounts output_counters(uint32_t slot) const override {
    KernelOutputCounts sum;
    for (const auto& cpu : read_per_cpu<mcr_output_counters>(output_counters_fd_, slot)) {
      sum.packets += cpu.packets;
      sum.bytes += cpu.bytes;
      sum.send_errors += cpu.send_errors;
      sum.last_packet_monotonic_ns = std::max(sum.last_packet_monotonic_ns, static_cast<int64_t>(cpu.last_packet_ns));
    }
    return sum;
  }

  void set_active(bool active) override { control_->active = active ? 1 : 0; }
  void set_forward_until(int64_t deadline_ns) override { control_->forward_until_ns = deadline_ns; }

 private:
  struct Link {
    Fd fd;
    unsigned holds = 0;
  };

  int map_fd(const char* name) const {
    const int fd = libbpf_.map_fd(libbpf_.find_map(object_.get(), name));
    if (fd < 0) throw SystemError("", EINVAL, std::string("the eBPF object has no map '") + name + "'");
    return fd;
  }

  // Per-CPU values are rounded up to 8 bytes each; the layout structs are multiples of 8 already.
  template <typename Value>
  std::vector<Value> read_per_cpu(int fd, uint32_t slot) const {
    static_assert(sizeof(Value) % 8 == 0);
    std::vector<Value> values(cpus_);
    if (bpf_map_lookup(fd, &slot, values.data()) != 0) values.clear();
    return values;
  }

  void zero(int fd, uint32_t slot, size_t value_size) const {
    std::vector<uint8_t> zeros(value_size * cpus_, 0);
    bpf_map_update(fd, &slot, zeros.data());
  }

  const LibbpfApi& libbpf_;
  std::unique_ptr<bpf_object, ObjectCloser> object_;
  int program_fd_ = -1;
  int rules_fd_ = -1;
  int rules6_fd_ = -1;
  int relay_counters_fd_ = -1;
  int output_counters_fd_ = -1;
  volatile mcr_control* control_ = nullptr;
  size_t control_size_ = 0;
  size_t cpus_ = 1;
  std::map<unsigned, Link> links_;
};

}  // namespace

std::unique_ptr<KernelDatapath> open_kernel_datapath(std::string& why_not) {
  const LibbpfApi* libbpf = libbpf_runtime(why_not);
  if (libbpf == nullptr) return nullptr;
  libbpf->set_print(quiet_libbpf);
  bpf_object_open_opts options{};
  options.sz = sizeof(options);
  options.object_name = "mcr_relay_datapath";
  std::unique_ptr<bpf_object, ObjectCloser> object(
      libbpf->open_mem(kRelayDatapathObject, kRelayDatapathObjectSize, &options), ObjectCloser{libbpf});
  if (!object) {
    why_not = "the embedded eBPF object could not be opened (" + errno_text(errno) + ")";
    return nullptr;
  }
  const int loaded = libbpf->load(object.get());
  if (loaded != 0) {
    why_not = "the kernel refused to load the eBPF program (" + errno_text(-loaded) +
              "; it needs CAP_BPF and CAP_NET_ADMIN, or root)";
    return nullptr;
  }
  try {
    return std::make_unique<LibbpfDatapath>(*libbpf, std::move(object));
  } catch (const SystemError& error) {
    why_not = error.what();
    return nullptr;
  }
}

}  // namespace mcr
