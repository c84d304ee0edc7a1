#!/usr/bin/env bash
# Layering rules of STYLE.md §3.2, checked on every ctest run. Prints each violation.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root/src" || exit 2
fail=0
violation() { echo "layering: $*"; fail=1; }

# include lines: "file:line:#include <x>" for files under $1
includes() { grep -rnE '^\s*#\s*include\s*[<"]' "$@" 2>/dev/null; }

# 1. core/ uses std and Boost only (no Beast/Asio); store/ uses core/ only.
while IFS= read -r l; do
  case "$l" in
    *'"core/'*|*'<boost/json'*|*'<boost/system'*) ;;
    *'"'*) violation "core may include only core/: $l" ;;
    *'boost/beast'*|*'boost/asio'*) violation "core may not use Beast/Asio: $l" ;;
  esac
done < <(includes core)
while IFS= read -r l; do
  case "$l" in
    *'"core/'*|*'"store/'*) ;;
    *'"'*) violation "store may include only core/ and store/: $l" ;;
  esac
done < <(includes store)

# 2. Database client headers stay in their backend directory.
includes * | grep -E '<sqlite3\.h>' | grep -v '^store/sqlite/' | while IFS= read -r l; do
  echo "layering: <sqlite3.h> outside store/sqlite/: $l"; done | grep . && fail=1
includes * | grep -E '<libpq-fe\.h>' | grep -v '^store/postgres/' | while IFS= read -r l; do
  echo "layering: <libpq-fe.h> outside store/postgres/: $l"; done | grep . && fail=1

# 3. Modules never include http/, app/, Beast or Asio.
for m in core store audit identity calendar catalog notify; do
  [ -d "$m" ] || continue
  includes "$m" | grep -E '"(http|app)/|boost/(beast|asio)' | while IFS= read -r l; do
    echo "layering: module $m depends on http/app/Beast: $l"; done | grep . && fail=1
done

# 4. Beast/Asio only in the server and the SMS gateway client translation units.
includes * | grep -E 'boost/(beast|asio)' | grep -vE '^http/(server|sms_http_gateway)\.cc:' |
  while IFS= read -r l; do
    echo "layering: Beast/Asio outside http/server.cc and http/sms_http_gateway.cc: $l"
  done | grep . && fail=1

# 5. No one includes another module's internal/.
for m in */; do
  m=${m%/}
  includes * | grep -E "\"$m/internal/" | grep -v "^$m/" | while IFS= read -r l; do
    echo "layering: $m/internal/ used outside $m: $l"; done | grep . && fail=1
done

# 6. Module dependency order (lower may not include higher): core < store < audit < identity <
#    calendar < catalog < notify < http < app.
order=(core store audit identity calendar catalog notify http app)
for i in "${!order[@]}"; do
  for j in "${!order[@]}"; do
    (( j > i )) || continue
    lo=${order[$i]} hi=${order[$j]}
    [ -d "$lo" ] || continue
    includes "$lo" | grep -E "\"$hi/" | while IFS= read -r l; do
      echo "layering: $lo may not depend on $hi: $l"; done | grep . && fail=1
  done
done

if [ "$fail" -ne 0 ]; then exit 1; fi
echo "layering: ok"
