// dlopen("libbpf.so.1") once; every symbol the loader uses or none.
#include "ebpf/libbpf_runtime.h"

#include <dlfcn.h>

#include <mutex>

namespace mcr {

namespace {

template <typename Function>
bool resolve(void* library, const char* name, Function& function, std::string& missing) {
  function = reinterpret_cast<Function>(dlsym(library, name));
  if (function == nullptr) missing = name;
  return function != nullptr;
}

struct Loaded {
  LibbpfApi api;
  std::string why_not;
  bool ok = false;
};

Loaded load() {
  Loaded loaded;
  void* library = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    loaded.why_not = "libbpf.so.1 is not installed (Debian/Ubuntu: libbpf1)";
    return loaded;
  }
  LibbpfApi& api = loaded.api;
  std::string missing;
  loaded.ok = resolve(library, "libbpf_set_print", api.set_print, missing) &&
              resolve(library, "bpf_object__open_mem", api.open_mem, missing) &&
              resolve(library, "bpf_object__load", api.load, missing) &&
              resolve(library, "bpf_object__close", api.close, missing) &&
              resolve(library, "bpf_object__find_program_by_name", api.find_program, missing) &&
              resolve(library, "bpf_program__fd", api.program_fd, missing) &&
              resolve(library, "bpf_object__find_map_by_name", api.find_map, missing) &&
              resolve(library, "bpf_map__fd", api.map_fd, missing) &&
              resolve(library, "libbpf_num_possible_cpus", api.possible_cpus, missing);
  if (!loaded.ok) loaded.why_not = "libbpf.so.1 lacks " + missing + " (libbpf 1.0 or later is needed)";
  return loaded;  // the library stays open for the life of the process
}

}  // namespace

const LibbpfApi* libbpf_runtime(std::string& why_not) {
  static const Loaded loaded = load();
  if (!loaded.ok) {
    why_not = loaded.why_not;
    return nullptr;
  }
  return &loaded.api;
}

}  // namespace mcr
