# MCR_PORTABLE=ON makes the shipped binaries (prebuilds) run on older distributions than the build
# machine and come out byte-identical from the same sources: static libstdc++/libgcc, no paths.
option(MCR_PORTABLE "Link libstdc++/libgcc statically and build reproducibly (for prebuilds)" OFF)

if(MCR_PORTABLE)
  # Reproducible: neither the checkout's nor the build directory's path lands in any object
  # (__FILE__ in assertions), so the same sources give the same bytes on any machine.
  get_filename_component(MCR_SOURCE_ROOT ${CMAKE_SOURCE_DIR}/.. ABSOLUTE)
  add_compile_options(-ffile-prefix-map=${MCR_SOURCE_ROOT}=mcr -ffile-prefix-map=${CMAKE_BINARY_DIR}=mcr-build)
endif()

function(mcr_make_portable target)
  if(NOT MCR_PORTABLE)
    return()
  endif()
  # libstdc++ is static: the relay host needs no C++ runtime of a given age. glibc and
  # libgcc_s stay dynamic: a static libgcc_eh (GCC 12, glibc >= 2.35) would call
  # _dl_find_object and raise the floor to glibc 2.35, while libgcc_s.so.1 is on every glibc
  # system. compat/glibc_floor.cc keeps libstdc++.a's arc4random (glibc 2.36) out, so the floor
  # stated in packaging/engine-README.md is glibc 2.34.
  # --exclude-libs keeps the static C++ runtime private, so two addons in one process (each
  # with its own libstdc++) never bind to each other's copy. The build id is a hash of the
  # content (sha1), not random; -s drops the symbol table the relay host has no use for.
  target_sources(${target} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../native/src/compat/glibc_floor.cc)
  target_link_options(${target} PRIVATE -static-libstdc++ -Wl,--exclude-libs,ALL -Wl,--build-id=sha1 -s)
endfunction()
