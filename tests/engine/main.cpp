// The single doctest runner for every tests/engine/test_<topic>.cpp, native and wasm.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
