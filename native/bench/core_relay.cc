// mcr-core-relay: MCR's engine core in a plain C++ process, no Node.js around it. The benchmark
// runs it beside the engine driven through Node-API to show what the Node process costs per
// packet ("the same design as a bare C loop"). Not shipped; built with the tools.
//
// usage: mcr-core-relay ROUTES_FILE READY_FILE
// ROUTES_FILE, one directive per line (written by the benchmark harness):
//   socket-buffer <bytes>
//   gso on|off                    (default on, as in EngineOptions)
//   gro on|off                    (default off)
//   realtime-priority <1..99>     (default: normal scheduling)
//   busy-poll <microseconds>      (default 0: sleep in epoll_wait)
//   relay <name> <in-interface> <in-group> <in-port> <out-interface> <ttl> <group>:<port>...
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/ready_file.h"
#include "core/engine.h"

namespace {

struct CoreRelayConfig {
  mcr::EngineOptions options;
  std::vector<mcr::RelaySpec> relays;
};

uint32_t parse_port(const std::string& text, const std::string& where) {
  std::size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || port == 0 || port > 65535) {
    throw std::invalid_argument(where + ": bad port '" + text + "'");
  }
  return static_cast<uint32_t>(port);
}

mcr::OutputSpec parse_output(const std::string& target, const std::string& interface, int ttl,
                             const std::string& where) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument(where + ": output '" + target + "' is not group:port");
  mcr::OutputSpec output;
  output.interface = interface;
  output.group = target.substr(0, colon);
  output.port = parse_port(target.substr(colon + 1), where);
  output.ttl = ttl;
  return output;
}

mcr::RelaySpec parse_relay(std::istringstream& words, const std::string& where) {
  mcr::RelaySpec spec;
  std::string port;
  std::string out_interface;
  int ttl = 1;
  if (!(words >> spec.name >> spec.input.interface >> spec.input.group >> port >> out_interface >> ttl)) {
    throw std::invalid_argument(where +
                                ": expected relay <name> <in-if> <group> <port> <out-if> <ttl> <group:port>...");
  }
  spec.input.port = parse_port(port, where);
  for (std::string target; words >> target;) spec.outputs.push_back(parse_output(target, out_interface, ttl, where));
  if (spec.outputs.empty()) throw std::invalid_argument(where + ": relay has no outputs");
  return spec;
}

bool parse_switch(std::istringstream& words, const std::string& where) {
  std::string value;
  words >> value;
  if (value == "on") return true;
  if (value == "off") return false;
  throw std::invalid_argument(where + ": expected on or off, got '" + value + "'");
}

CoreRelayConfig read_config(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  CoreRelayConfig config;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    std::istringstream words(line);
    std::string directive;
    if (!(words >> directive) || directive[0] == '#') continue;
    const std::string where = path + ":" + std::to_string(number);
    if (directive == "socket-buffer") {
      if (!(words >> config.options.socket_buffer_bytes))
        throw std::invalid_argument(where + ": socket-buffer needs bytes");
    } else if (directive == "gso") {
      config.options.gso = parse_switch(words, where);
    } else if (directive == "gro") {
      config.options.gro = parse_switch(words, where);
    } else if (directive == "realtime-priority") {
      if (!(words >> config.options.realtime_priority))
        throw std::invalid_argument(where + ": realtime-priority needs 1..99");
    } else if (directive == "busy-poll") {
      if (!(words >> config.options.busy_poll_us))
        throw std::invalid_argument(where + ": busy-poll needs microseconds");
    } else if (directive == "relay") {
      config.relays.push_back(parse_relay(words, where));
    } else {
      throw std::invalid_argument(where + ": unknown directive '" + directive + "'");
    }
  }
  if (config.relays.empty()) throw std::invalid_argument(path + ": no relay lines");
  return config;
}

// Blocks SIGINT/SIGTERM in every thread (the workers inherit the mask) and waits for one here.
void wait_for_stop_signal(const sigset_t& stop_signals) {
  int received = 0;
  sigwait(&stop_signals, &received);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: mcr-core-relay ROUTES_FILE READY_FILE\n");
    return 2;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    const CoreRelayConfig config = read_config(argv[1]);
    mcr::Engine engine(config.options);
    for (const mcr::RelaySpec& spec : config.relays) engine.add_relay(spec);
    mcr::tools::write_ready_file(argv[2], getpid(), 0);
    wait_for_stop_signal(stop_signals);
    engine.close();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mcr-core-relay: %s\n", error.what());
    return 1;
  }
  return 0;
}
