# cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=name -P EmbedBinary.cmake
# Writes INPUT's bytes as `const unsigned char SYMBOL[]` and `SYMBOL##Size` in namespace mcr
# (the compiled eBPF object inside the addon; no xxd or bpftool needed).
file(READ ${INPUT} bytes HEX)
string(LENGTH "${bytes}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," array "${bytes}")
file(WRITE ${OUTPUT}
     "// Generated from ${INPUT} by cmake/EmbedBinary.cmake. Do not edit.\n"
     "#include <cstddef>\n"
     "namespace mcr {\n"
     "extern const unsigned char ${SYMBOL}[];\n"
     "extern const size_t ${SYMBOL}Size;\n"
     "const unsigned char ${SYMBOL}[] = {${array}};\n"
     "const size_t ${SYMBOL}Size = ${size};\n"
     "}  // namespace mcr\n")
