# MCR_SANITIZE=ON builds every target with AddressSanitizer (+LeakSanitizer) and UBSan.
# Used by the test configuration that runs the core's lifecycle tests for leaks.
option(MCR_SANITIZE "Build with ASan/LSan and UBSan" OFF)
if(MCR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
