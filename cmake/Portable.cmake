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
  # Only glibc stays dynamic: its symbol versions set the floor stated in packaging/README.md.
  # --exclude-libs keeps the static C++ runtime private, so two addons in one process (each
  # with its own libstdc++) never bind to each other's copy. The build id is a hash of the
  # content (sha1), not random; -s drops the symbol table the relay host has no use for.
  target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL
                                        -Wl,--build-id=sha1 -s)
endfunction()
