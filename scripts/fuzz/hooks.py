# schemathesis hooks of scripts/fuzz.sh (loaded through `hooks` in schemathesis.toml).
# POST /api/v1/import reads rules files as application/json5 text; schemathesis has no serializer
# for that media type, so its bodies go on the wire the way text/plain ones do.
import schemathesis

schemathesis.serializer.alias("application/json5", "text/plain")
