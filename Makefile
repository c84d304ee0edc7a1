# OneStop — the two commands of README.md:
#   make run    install what is missing, build server + web UI, start on SQLite with demo data
#   make test   install what is missing, build, run every test (unit, SQLite + PostgreSQL store,
#               HTTP routes, browser); non-zero exit on any failure
BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= sqlite:./data/onestop.db
LISTEN ?= 127.0.0.1:8080

.PHONY: run test deps build web serve unit-tests browser-tests bench format clean

run: deps build web
	./$(BUILD)/src/app/onestop serve --db $(DB) --listen $(LISTEN) --demo --web-root web/dist

test: deps build web
	./scripts/test-all.sh $(BUILD)

deps:
	./scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

web:
	cd web && npm run build

unit-tests: build
	./scripts/with-throwaway-pg.sh ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

browser-tests: build web
	./scripts/browser-tests.sh $(BUILD)

bench: build
	./$(BUILD)/bench/core_bench
	./bench/http.sh

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) web/dist
