// Boost.JSON compiled into the fuzz variant of the code, so the fuzzers'
// coverage and sanitizers reach the JSON parser and serializer.
#include <boost/json/src.hpp>
