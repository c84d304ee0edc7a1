// PostgreSQL backend via libpq: a connection pool, `?` placeholders rewritten to `$n`,
// prepared statements cached per connection, errors mapped from SQLSTATE.
#pragma once

#include <memory>
#include <string_view>

#include "store/db.h"

namespace onestop::store {

// Connects to `url` ("postgresql://user:pass@host:port/db"). kUnavailable if the server
// cannot be reached or refuses the login.
Result<std::unique_ptr<Db>> OpenPostgres(std::string_view url, const OpenOptions& options);

}  // namespace onestop::store
