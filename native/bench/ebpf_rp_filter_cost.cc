// mcr-ebpf-rp-filter-cost: what the eBPF datapath's reverse path filter check (one bpf_fib_lookup
// of the source per matched IPv4 datagram, docs/ebpf-datapath.md) costs. The embedded program is
// loaded with the engine's libbpf runtime and run by BPF_PROG_TEST_RUN on one datagram (1328 bytes
// of UDP payload) matching a one-output rule whose rp_filter is off, strict or loose, alternating
// rounds so that every mode sees the same machine; the kernel times `repeat` runs of the program
// and reports the average. A fourth case has a source with no route back: strict refuses it and
// the program passes it to the stack (TCX_NEXT), the lookup being the last thing it does.
//
// What a run is: the whole program (parse, rule lookup, the check, counters, the fencing state,
// the output's rewrite, bpf_redirect). The datagram is the test run's own skb, reused by every
// repeat, so the output rewrites nothing the next run matches on: same source, group, port, TTL
// and DSCP, only the MACs are stored. The redirect is returned, not carried out (test runs do not
// transmit), so the send is not in the numbers; the difference between the modes is the check.
//
// It needs root (CAP_BPF, CAP_NET_ADMIN): it unshares a network namespace of its own and adds a
// veth pair there, one end the ingress, with IPv4 forwarding on (the lookup refuses an ingress
// without it) and the source's subnet on it, so that the route back leaves through the ingress as
// strict wants. Run it under the data-plane lock like any namespace user.
// Not shipped; built with the tools when the eBPF datapath is.
//
// usage: mcr-ebpf-rp-filter-cost [RUNS]   (program runs per mode and round; default 1000000)
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/if.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "ebpf/bpf_syscall.h"
#include "ebpf/datapath_layout.h"
#include "ebpf/embedded_object.h"
#include "ebpf/libbpf_runtime.h"

namespace {

constexpr const char* kIngress = "mcrrpf0";
constexpr const char* kIngressPeer = "mcrrpf1";
constexpr const char* kIngressAddress = "10.77.0.1/24";
constexpr const char* kSource = "10.77.0.2";    // routed back through the ingress: passes
constexpr const char* kUnrouted = "10.99.0.2";  // no route back: strict and loose refuse it
constexpr const char* kGroup = "239.77.0.1";
constexpr uint16_t kPort = 5000;
constexpr uint8_t kTtl = 64;
constexpr size_t kPayloadBytes = 1328;  // 12-byte RTP header + 7 x 188 bytes of TS
constexpr unsigned kRounds = 10;
// tc verdicts as the program returns them: bpf_redirect's, and tcx's "next" (to the stack).
constexpr uint32_t kRedirected = 7;
constexpr uint32_t kToTheStack = static_cast<uint32_t>(-1);

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "mcr-ebpf-rp-filter-cost: %s\n", what.c_str());
  std::exit(1);
}

void shell(const std::string& command) {
  if (std::system(command.c_str()) != 0) fail("'" + command + "' failed");
}

// A namespace nobody else uses, so the bench needs no cleanup and meets no other traffic.
unsigned make_ingress() {
  if (unshare(CLONE_NEWNET) != 0)
    fail(std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno) + " (run as root)");
  shell(std::string("ip link add ") + kIngress + " type veth peer name " + kIngressPeer);
  shell(std::string("ip addr add ") + kIngressAddress + " dev " + kIngress);
  shell(std::string("ip link set ") + kIngressPeer + " up");
  shell(std::string("ip link set ") + kIngress + " up");
  std::ofstream forwarding(std::string("/proc/sys/net/ipv4/conf/") + kIngress + "/forwarding");
  if (!(forwarding << "1\n" << std::flush)) fail("turning on forwarding on the ingress failed");
  const unsigned ifindex = if_nametoindex(kIngress);
  if (ifindex == 0) fail(std::string("no interface ") + kIngress);
  return ifindex;
}

uint32_t ipv4(const char* text) {
  in_addr address{};
  inet_pton(AF_INET, text, &address);
  return address.s_addr;
}

uint16_t ip_checksum(const iphdr& header) {
  uint32_t sum = 0;
  const auto* words = reinterpret_cast<const uint16_t*>(&header);
  for (size_t i = 0; i < sizeof(header) / 2; ++i) sum += words[i];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// Ethernet + IPv4 + UDP (checksum 0: none, which the program keeps) + payload.
std::vector<uint8_t> datagram(const char* source) {
  std::vector<uint8_t> frame(ETH_HLEN + sizeof(iphdr) + sizeof(udphdr) + kPayloadBytes, 0x47);
  const std::array<uint8_t, 6> group_mac{0x01, 0x00, 0x5e, 0x4d, 0x00, 0x01};
  const std::array<uint8_t, 6> sender_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
  std::memcpy(frame.data(), group_mac.data(), 6);
  std::memcpy(frame.data() + 6, sender_mac.data(), 6);
  const uint16_t ethertype = htons(ETH_P_IP);
  std::memcpy(frame.data() + 12, &ethertype, 2);
  iphdr ip{};
  ip.version = 4;
  ip.ihl = 5;
  ip.tot_len = htons(static_cast<uint16_t>(sizeof(iphdr) + sizeof(udphdr) + kPayloadBytes));
  ip.ttl = kTtl;
  ip.protocol = IPPROTO_UDP;
  ip.saddr = ipv4(source);
  ip.daddr = ipv4(kGroup);
  ip.check = ip_checksum(ip);
  std::memcpy(frame.data() + ETH_HLEN, &ip, sizeof(ip));
  udphdr udp{};
  udp.source = htons(40000);
  udp.dest = htons(kPort);
  udp.len = htons(static_cast<uint16_t>(sizeof(udphdr) + kPayloadBytes));
  std::memcpy(frame.data() + ETH_HLEN + sizeof(iphdr), &udp, sizeof(udp));
  return frame;
}

struct Program {
  int program_fd = -1;
  int rules_fd = -1;
  int control_fd = -1;
};

int map_fd(const mcr::LibbpfApi& libbpf, bpf_object* object, const char* name) {
  const int fd = libbpf.map_fd(libbpf.find_map(object, name));
  if (fd < 0) fail(std::string("the eBPF object has no map '") + name + "'");
  return fd;
}

// The engine's embedded object through its libbpf runtime, as open_kernel_datapath loads it; the
// object stays open (and the program loaded) until the process exits.
Program load() {
  std::string why_not;
  const mcr::LibbpfApi* libbpf = mcr::libbpf_runtime(why_not);
  if (libbpf == nullptr) fail(why_not);
  bpf_object_open_opts options{};
  options.sz = sizeof(options);
  options.object_name = "mcr_relay_datapath";
  bpf_object* object = libbpf->open_mem(mcr::kRelayDatapathObject, mcr::kRelayDatapathObjectSize, &options);
  if (object == nullptr) fail("the embedded eBPF object could not be opened");
  if (libbpf->load(object) != 0) fail("the kernel refused to load the eBPF program (run as root)");
  Program program;
  program.program_fd = libbpf->program_fd(libbpf->find_program(object, "mcr_relay_ingress"));
  program.rules_fd = map_fd(*libbpf, object, "rules");
  program.control_fd = map_fd(*libbpf, object, "control");
  return program;
}

// An any-source rule with one output to the ingress itself that leaves the datagram as it is.
void put_rule(const Program& program, unsigned ifindex, uint32_t rp_filter) {
  mcr_rule_key key{};
  key.ifindex = ifindex;
  key.daddr = ipv4(kGroup);
  key.dport = htons(kPort);
  mcr_rule rule{};
  rule.output_count = 1;
  rule.rp_filter = rp_filter;
  mcr_rule_output& output = rule.outputs[0];
  output.ifindex = ifindex;
  output.saddr = ipv4(kSource);
  output.daddr = ipv4(kGroup);
  output.dport = htons(kPort);
  output.ttl = kTtl;
  std::memcpy(output.dmac, "\x01\x00\x5e\x4d\x00\x01", 6);
  std::memcpy(output.smac, "\x02\x00\x00\x00\x00\x01", 6);
  if (mcr::bpf_map_update(program.rules_fd, &key, &rule) != 0) fail("storing the rule failed");
}

struct TestRun {
  uint32_t verdict = 0;
  uint32_t average_ns = 0;
};

TestRun test_run(const Program& program, unsigned ifindex, std::vector<uint8_t>& frame, uint32_t runs) {
  __sk_buff context{};
  context.ifindex = ifindex;  // the test skb arrives on the ingress, as skb->ifindex in the program
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.test.prog_fd = static_cast<uint32_t>(program.program_fd);
  attr.test.data_in = reinterpret_cast<uintptr_t>(frame.data());
  attr.test.data_size_in = static_cast<uint32_t>(frame.size());
  attr.test.ctx_in = reinterpret_cast<uintptr_t>(&context);
  attr.test.ctx_size_in = sizeof(context);
  attr.test.repeat = runs;
  if (syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, sizeof(attr)) != 0) {
    fail(std::string("BPF_PROG_TEST_RUN: ") + std::strerror(errno));
  }
  return {attr.test.retval, attr.test.duration};
}

struct Case {
  const char* name;
  uint32_t rp_filter;
  const char* source;
  uint32_t expected_verdict;
  std::vector<uint32_t> rounds_ns = {};
};

double median(std::vector<uint32_t> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
}

}  // namespace

int main(int argc, char** argv) {
  const uint32_t runs = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 1'000'000;
  const unsigned ifindex = make_ingress();
  const Program program = load();
  const mcr_control active{0, 1, 0};
  const uint32_t zero = 0;
  if (mcr::bpf_map_update(program.control_fd, &zero, &active) != 0) fail("setting the control entry failed");

  std::array<Case, 4> cases{{
      {"off", MCR_EBPF_RP_FILTER_OFF, kSource, kRedirected},
      {"strict", MCR_EBPF_RP_FILTER_STRICT, kSource, kRedirected},
      {"loose", MCR_EBPF_RP_FILTER_LOOSE, kSource, kRedirected},
      {"strict, no route back", MCR_EBPF_RP_FILTER_STRICT, kUnrouted, kToTheStack},
  }};
  for (unsigned round = 0; round <= kRounds; ++round) {  // round 0 warms up
    for (Case& mode : cases) {
      put_rule(program, ifindex, mode.rp_filter);
      std::vector<uint8_t> frame = datagram(mode.source);
      const TestRun result = test_run(program, ifindex, frame, runs);
      if (result.verdict != mode.expected_verdict) {
        fail(std::string("rp_filter ") + mode.name + ": the program returned " +
             std::to_string(static_cast<int32_t>(result.verdict)) + ", expected " +
             std::to_string(static_cast<int32_t>(mode.expected_verdict)));
      }
      if (round > 0) mode.rounds_ns.push_back(result.average_ns);
    }
  }
  const double off_ns = median(cases[0].rounds_ns);
  std::printf(
      "BPF_PROG_TEST_RUN of mcr_relay_ingress, an IPv4 datagram with %zu bytes of UDP payload, a one-output rule,\n",
      kPayloadBytes);
  std::printf("%u runs per mode and round, median of %u rounds:\n", runs, kRounds);
  for (const Case& mode : cases) {
    const double ns = median(mode.rounds_ns);
    const auto [fastest, slowest] = std::minmax_element(mode.rounds_ns.begin(), mode.rounds_ns.end());
    std::printf("  rp_filter %-22s %6.0f ns/run  (%+4.0f ns; rounds %u..%u)  %s\n", mode.name, ns, ns - off_ns,
                *fastest, *slowest, mode.expected_verdict == kRedirected ? "forwarded" : "to the stack");
  }
  return 0;
}
