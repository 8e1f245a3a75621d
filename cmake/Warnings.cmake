# Strict warnings for every MCR target: a warning is a bug we have not found yet.
function(mcr_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Wpedantic
                                           -Wno-missing-field-initializers)
endfunction()
