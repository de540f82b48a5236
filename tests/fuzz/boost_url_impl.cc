// Boost.URL compiled into the fuzz variant of the code (query and path
// decoding of the router), instrumented like the rest.
#include <boost/url/src.hpp>
