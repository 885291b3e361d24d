# Trust Engine: every developer command. Tools are pinned and installed into
# .tools/ (nothing global), so a fresh machine needs only Go, npm and apt.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

TOOLS := $(CURDIR)/.tools
BIN := $(TOOLS)/bin
export PATH := $(BIN):$(TOOLS)/node_modules/.bin:$(PATH)

BUF_VERSION := 1.75.0
PROTOC_GEN_GO_VERSION := v1.36.12
PROTOC_GEN_GO_GRPC_VERSION := v1.6.0
GRPC_GATEWAY_VERSION := v2.33.0
GRPCURL_VERSION := v1.9.3
# Mailpit: the SMTP server with a web UI and an HTTP API that make run and
# the e2e tests send the suite's email to.
MAILPIT_VERSION := v1.33.1
KUBECONFORM_VERSION := v0.8.0
# kustomize v5.8 needs a newer Go than the suite pins.
KUSTOMIZE_VERSION := v5.7.1
# The S3-compatible server the photo storage tests start (libs/s3test).
VERSITYGW_VERSION := v1.8.0

# Sources of the vendored JSON schemas in deploy/schemas (make deploy-schemas).
K8S_SCHEMA_SOURCE := k8s.io/kubernetes@v1.33.0
CRD_SCHEMA_SOURCES := github.com/cloudnative-pg/cloudnative-pg@v1.27.0/config/crd/bases \
	github.com/cloudnative-pg/plugin-barman-cloud@v0.15.0/config/crd/bases
DEPLOY_OVERLAYS := dev production restore
SCHEMA_LOCATION := deploy/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json

MODULES := gen libs services/ticket services/routing services/sla services/notify services/gateway tools/trustctl e2e deploy/schemagen
# Package tests of all modules run at once; each test gets its own database.
TEST_FLAGS ?= -race -count=1 -timeout 20m

.PHONY: help tools gen lint breaking test test-go test-console console fuzz db run bench fmt vet token clean deploy-check deploy-schemas versitygw mailpit

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

CONSOLE := web/console

tools: $(BIN)/protoc-gen-go $(BIN)/protoc-gen-go-grpc $(BIN)/protoc-gen-grpc-gateway $(BIN)/protoc-gen-openapiv2 $(TOOLS)/node_modules/.bin/buf $(CONSOLE)/node_modules/.package-lock.json ## install pinned code-generation tools into .tools/ and the console's npm packages

$(BIN)/protoc-gen-go:
	GOBIN=$(BIN) go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
$(BIN)/protoc-gen-go-grpc:
	GOBIN=$(BIN) go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)
$(BIN)/protoc-gen-grpc-gateway:
	GOBIN=$(BIN) go install github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@$(GRPC_GATEWAY_VERSION)
$(BIN)/protoc-gen-openapiv2:
	GOBIN=$(BIN) go install github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@$(GRPC_GATEWAY_VERSION)
$(TOOLS)/node_modules/.bin/buf:
	mkdir -p $(TOOLS)
	cd $(TOOLS) && npm install --silent --no-audit --no-fund --no-save @bufbuild/buf@$(BUF_VERSION)
# The console's toolchain (protoc-gen-es, TypeScript, esbuild, Playwright) is
# pinned in its package-lock.json; npm ci installs exactly that.
$(CONSOLE)/node_modules/.package-lock.json: $(CONSOLE)/package-lock.json
	cd $(CONSOLE) && npm ci --no-audit --no-fund --loglevel=error
$(BIN)/grpcurl:
	GOBIN=$(BIN) go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)
$(BIN)/mailpit:
	GOBIN=$(BIN) go install github.com/axllent/mailpit@$(MAILPIT_VERSION)

mailpit: $(BIN)/mailpit ## install Mailpit (the mail server of make run and the e2e tests) into .tools/bin
$(BIN)/kubeconform:
	GOBIN=$(BIN) go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)
$(BIN)/kustomize:
	GOBIN=$(BIN) go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)
$(BIN)/versitygw:
	GOBIN=$(BIN) go install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

versitygw: $(BIN)/versitygw ## install VersityGW, the S3-compatible server the storage tests run (about a minute to build)

gen: tools ## regenerate gen/ from proto/ (offline)
	rm -rf gen/go gen/openapi/*.json $(CONSOLE)/src/gen
	buf generate

# The build in lint compiles each module alone (GOWORK=off) and writes no
# binary (-o /dev/null), so a module whose ./... is one command
# (deploy/schemagen) leaves nothing in its folder.
lint: tools ## buf lint, gofmt, go vet, tidy modules that also build alone
	buf lint
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet work
	@for m in $(MODULES); do (cd $$m && go mod tidy -diff >/dev/null) || { echo "$$m: go.mod/go.sum not tidy (run go mod tidy there)"; exit 1; }; (cd $$m && GOWORK=off go build -o /dev/null ./...) || exit 1; done

breaking: tools ## buf breaking against main
	buf breaking --against '.git#branch=main'

deploy-check: $(BIN)/kustomize $(BIN)/kubeconform ## build every deploy/ overlay and validate it, strictly and offline
	@for o in $(DEPLOY_OVERLAYS); do \
	  echo "== deploy/overlays/$$o"; \
	  kustomize build deploy/overlays/$$o | kubeconform -strict -summary -schema-location '$(SCHEMA_LOCATION)' - || exit 1; \
	done

deploy-schemas: $(BIN)/kustomize ## regenerate deploy/schemas for the kinds the overlays use (fetches the pinned sources)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for o in $(DEPLOY_OVERLAYS); do kustomize build deploy/overlays/$$o > "$$tmp/$$o.yaml"; done; \
	cd deploy/schemagen && go run . -out ../schemas -kubernetes $(K8S_SCHEMA_SOURCE) \
	  $(addprefix -crds ,$(CRD_SCHEMA_SOURCES)) "$$tmp"/*.yaml

db: ## ensure PostgreSQL with PostGIS is installed and running
	bash scripts/ensure-postgis.sh

test: test-go test-console ## run every test: Go modules against real PostGIS, then the console in Chromium

test-go: db $(BIN)/versitygw $(BIN)/mailpit ## run every Go test of every module against real PostGIS (VersityGW for S3; the e2e tests send mail to Mailpit)
	@failed=""; for m in $(MODULES); do echo "== $$m"; (cd $$m && go test $(TEST_FLAGS) ./...) || failed="$$failed $$m"; done; \
	if [ -n "$$failed" ]; then echo "test-go: failed in:$$failed" >&2; exit 1; fi

console: $(CONSOLE)/node_modules/.package-lock.json ## type-check and build the operator console into the gateway's embedded files
	cd $(CONSOLE) && npx tsc --noEmit -p . && node build.mjs

test-console: db $(CONSOLE)/node_modules/.package-lock.json ## the console's unit tests, then its browser suite against the real suite (Debian's chromium)
	@echo "== web/console"
	cd $(CONSOLE) && node test/run-unit.mjs
	CHROMIUM_PATH=$$(bash scripts/ensure-chromium.sh) bash scripts/console-suite.sh bash -c 'cd $(CONSOLE) && npx playwright test'


fuzz: ## run every fuzz target for FUZZTIME (default 15s) each
	bash scripts/fuzz.sh

run: db console $(BIN)/mailpit ## bring the whole suite up with a demo municipality, the console and Mailpit (Ctrl-C stops it)
	bash scripts/run.sh

bench: db ## benchmarks against same-run baselines
	bash scripts/bench.sh

token: ## mint a development token: make token ROLE=agent TENANT=CPT
	@TRUSTENGINE_DEV_MODE=$${TRUSTENGINE_DEV_MODE:-1} go run github.com/salga/trustengine/libs/cmd/devtoken -role $${ROLE:-agent} -tenant $${TENANT:-CPT} -sub $${SUB:-dev-$${ROLE:-agent}}

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go' | grep -v '^gen/')

clean: ## remove installed tools and build output
	rm -rf $(TOOLS) bin
