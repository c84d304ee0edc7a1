// app::Config: every setting of the onestop process, each with its default.
// Precedence: default < onestop.json (--config, or ./onestop.json if present) <
// environment ONESTOP_<KEY> (e.g. ONESTOP_DB, ONESTOP_LISTEN) < command-line flag.
// Validated once in main and passed down as const&; no module reads the environment.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace onestop::app {

struct Config {
  std::string db = "sqlite:./data/onestop.db";  // sqlite:PATH or postgresql://user:pass@host/db
  std::string listen = "127.0.0.1:8080";        // host:port the server binds
  std::string web_root = "";                    // built web UI; "" = auto (web/dist if present)
  std::string uploads = "";         // uploaded materials; "" = uploads/ beside the SQLite file
  int threads = 8;                  // HTTP handler threads
  int db_pool = 8;                  // database connections
  std::size_t max_body_kb = 10240;  // largest accepted request body (uploads)
  bool cookie_secure = false;       // mark the session cookie Secure (behind HTTPS)
  int session_hours = 12;           // absolute session lifetime
  int idle_minutes = 120;           // session ends after this long without requests
  int max_failed_logins = 5;        // failures before an account is locked
  int lockout_minutes = 15;         // how long it stays locked
  std::string log_level = "info";   // trace / debug / info / warn / error
  bool demo = false;                // load the demo data at start
  std::string sms_gateway = "";     // SMS gateway, http://host:port/path; "" = SMS only logged
  std::string sms_token_file = "";  // file holding the gateway's bearer token; "" = none
  std::string now = "";  // start the clock here ("2026-02-09T09:00:00+08:00"); "" = real time
  // The seal master key: a file of 32 bytes or 64 hex, else 64 hex (env ONESTOP_MASTER_KEY).
  std::string master_key_file = "";
  std::string master_key = "";
  // The address citizens reach the public pages at (https://zwfw.example.gov.cn), printed in the
  // QR codes of proofs and licences; "" = http://<listen>.
  std::string public_url = "";
};

// public_url, or http://<listen> when it is not set; never ends in '/'.
std::string PublicUrlOf(const Config& config);

// Keys as they appear in onestop.json and (upper-cased, prefixed ONESTOP_) in the environment.
// Applies a JSON file's values. kInvalidArgument config.bad_file / config.bad_value.
Result<void> ApplyJsonFile(Config& config, const std::string& path);
// Applies ONESTOP_* variables from `env` (name → value).
Result<void> ApplyEnvironment(Config& config, const std::map<std::string, std::string>& env);
// Checks ranges and formats. kInvalidArgument config.bad_value naming the key.
Result<void> Validate(const Config& config);
// An instant written "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)", or a date "YYYY-MM-DD" meaning 09:00
// China Standard Time. kInvalidArgument config.bad_value.
Result<Millis> ParseInstant(const std::string& text);

// The process environment as a map (main only).
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace onestop::app
