# The coroutine workshop kit.  `make help` lists what you can type.

STAGES := 01-setjmp 02-stack-switch 03-ucontext 04-scheduler 05-channels
stage   = $(filter 0$(1)-%,$(STAGES))
before  = $(filter 0$(shell echo $$(($(1) - 1)))-%,$(STAGES))

help:
	@echo "make stage-N       build stage N (1-5) and run its demo, drawing the stacks"
	@echo "make stage-N STEP=1  the same, waiting for Enter after each drawing"
	@echo "make test          build and run every test, on every compiler and tool"
	@echo "make diff-N        what stage N changes relative to stage N-1"
	@echo "make slides        present SLIDES.md in the terminal"
	@echo "make bench         the benchmark tables (QUICK=1: a short run)"
	@echo "make golden        rewrite tests/golden/ from the demos (read the diff!)"
	@echo "make clean         remove everything built"
	@echo "Stages: $(STAGES)"

stage-%:
	@test -n "$(call stage,$*)" || { echo "make stage-N: N is 1 to 5"; exit 1; }
	@$(MAKE) -s --no-print-directory -C $(call stage,$*) run STEP=$(STEP)

test:
	@tests/need-cunit
	@tests/run

diff-%:
	@test -n "$(call stage,$*)" || { echo "make diff-N: N is 2 to 5"; exit 1; }
	@test -n "$(call before,$*)" || { echo "make diff-1: stage 1 is the first; diff-2 .. diff-5 show the rest"; exit 1; }
	@diff -ruN -x build -x '*.o' -x '*.a' $(call before,$*) $(call stage,$*) || true

golden:
	@tests/golden-update

# patat hides the HTML comments (speaker notes, quote marks); mdp
# shows them, so they are stripped for it first.
slides:
	@if command -v patat >/dev/null; then patat SLIDES.md; \
	elif command -v mdp >/dev/null; then mkdir -p build && \
	  awk '/<!--/ && /-->/ { next } /<!--/ { skip = 1 } !skip { print } \
	       /-->/ { skip = 0 }' SLIDES.md > build/SLIDES.md && mdp build/SLIDES.md; \
	else echo "make slides needs a terminal presenter: sudo apt-get install patat (or mdp)"; fi

# QUICK=1: a shorter run, without the biggest cases (see bench/run)
bench:
	@bench/run $(if $(filter-out 0,$(QUICK)),--quick)

clean:
	rm -rf build $(addsuffix /build,$(STAGES))

.PHONY: help test golden slides bench clean
