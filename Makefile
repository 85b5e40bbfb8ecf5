# Front end for the meson build. `make check` and `make demo` set up everything on a fresh
# Debian 12 machine (as root they install missing packages with apt-get).
BUILD      ?= build
ASAN_BUILD ?= build-asan
PREFIX     ?= /usr/local
MESON_OPTS ?=
# The trees the suite runs get the worker's fault-injection switch; `make install TEST_OPTS=`
# (or a fresh release tree) leaves it out.
TEST_OPTS  ?= -Dfault_injection=true

.PHONY: all deps build build-asan check check-asan unit demo bench install deb format format-check clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX) -Dwerror=true $(TEST_OPTS) $(MESON_OPTS)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true \
		-Dbuildtype=debugoptimized $(TEST_OPTS) $(MESON_OPTS)

build-asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

# The whole suite: werror build, unit and integration tests as root and as an unprivileged
# user, then the same unit and integration tests under ASan and UBSan.
check: deps
	@$(MAKE) --no-print-directory build build-asan
	@sh tests/run-tests.sh --build $(BUILD) --asan-build $(ASAN_BUILD)

unit: build
	@sh tests/run-tests.sh --build $(BUILD) --unit-only

demo: deps
	@$(MAKE) --no-print-directory build
	@sh scripts/demo.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory build
	@sh bench/run.sh $(BUILD)

install: build
	DESTDIR=$(DESTDIR) meson install -C $(BUILD)

# A Debian package (build-deb/airlock_VERSION_ARCH.deb), checked by lintian.
deb:
	@sh scripts/make-deb.sh $(CURDIR)/build-deb

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-deb
