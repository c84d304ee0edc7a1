// Canonical JSON (RFC 8785, JSON Canonicalization Scheme): the one byte encoding of a JSON value
// that signatures cover (licence metadata and face data, proof payloads). Parsing is not here
// (Boost.JSON); neither is signing (seal/).
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace onestop {

// `v` per RFC 8785: object members sorted by the UTF-16 code units of their names, no
// whitespace, strings with only `"` `\` and control characters escaped (\b \f \n \r \t short,
// the rest \u00xx in lower-case hex), integers as they are, doubles as ECMAScript's
// Number.prototype.toString (shortest round trip; -0 is "0"). RFC 8785 forbids NaN and
// Infinity; they come out as `null` (as JSON.stringify does) rather than failing.
std::string CanonicalJson(const boost::json::value& v);

// Only the ECMAScript number serialisation of `d` (e.g. 1e21 → "1e+21", 1e-7 → "1e-7").
std::string EcmaScriptNumber(double d);

}  // namespace onestop
