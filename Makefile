# The coroutine workshop kit.  `make help` lists what you can type.

STAGES := 01-setjmp 02-stack-switch 03-ucontext 04-scheduler 05-channels
stage   = $(filter 0$(1)-%,$(STAGES))
number  = $(patsubst 0%,%,$(firstword $(subst -, ,$(1))))
FIRST  := $(call number,$(firstword $(STAGES)))
SECOND := $(call number,$(word 2,$(STAGES)))
LAST   := $(call number,$(lastword $(STAGES)))
before  = $(word $(call number,$(call stage,$(1))),- $(STAGES))

# The context switches each stage can be built with: SWITCH= picks one,
# MODE= is its other name.  This is the one list of them; stage 1 has
# none (it switches with setjmp/longjmp alone).  Each stage's own
# Makefile has the same list in SWITCHES (tests/check-make-input).
SWITCHES_2 := copy asm sigstack
SWITCHES_3 := ucontext asm copy sigstack
SWITCHES_4 := ucontext asm copy sigstack
SWITCHES_5 := ucontext asm copy sigstack

# The switch asked for, and how it was asked.
switch  = $(strip $(or $(SWITCH),$(MODE)))
asked   = $(if $(SWITCH),SWITCH,MODE)=$(switch)

# Why `make stage-N` or `make diff-N` cannot do what was asked: one line
# that names the valid choices, or nothing.  The target stops on it with
# $(error), before anything is built.
stage_problem = $(strip $(if $(call stage,$(1)), \
	$(call switch_problem,$(1)), \
	make stage-$(1): there is no stage $(1); \
	choose stage-$(FIRST) .. stage-$(LAST)))
switch_problem = $(strip \
	$(if $(disagree), \
	  make stage-$(1): SWITCH=$(SWITCH) and MODE=$(MODE) disagree \
	  (MODE= is another name for SWITCH=), \
	$(if $(switch), \
	  $(if $(SWITCHES_$(1)), \
	    $(if $(call not_one_of,$(switch),$(SWITCHES_$(1))), \
	      make stage-$(1) $(asked): stage $(1) switches with \
	      $(call choices,$(SWITCHES_$(1))) \
	      (e.g. make stage-$(1) SWITCH=$(firstword $(SWITCHES_$(1))))), \
	    make stage-$(1) $(asked): stage $(1) has no SWITCH=; \
	    it switches with setjmp/longjmp alone))))
diff_problem = $(strip $(if $(call stage,$(1)), \
	$(if $(filter $(FIRST),$(1)), \
	  make diff-$(1): stage $(1) is the first; \
	  diff-$(SECOND) .. diff-$(LAST) show the others), \
	make diff-$(1): there is no stage $(1); \
	choose diff-$(SECOND) .. diff-$(LAST)))
disagree   = $(and $(SWITCH),$(MODE),$(filter-out $(SWITCH),$(MODE)))
not_one_of = $(filter-out 1,$(words $(1)))$(filter-out $(2),$(1))
comma   := ,
empty   :=
space   := $(empty) $(empty)
choices  = $(subst $(space),$(comma)$(space),$(strip $(1)))

help:
	@echo "make stage-N       build stage N ($(FIRST)-$(LAST)) and run its demo,"\
	      "drawing the stacks"
	@echo "make stage-N STEP=1  the same, waiting for Enter after each drawing"
	@echo "make stage-N SWITCH=x  with another context switch"\
	      "(stage 2: $(call choices,$(SWITCHES_2)))"
	@echo "make test          build and run every test, on every compiler and tool"
	@echo "make diff-N        what stage N changes relative to stage N-1,"\
	      "as its lesson"
	@echo "make diff-N FULL=1   every difference"
	@echo "make slides        present SLIDES.md in the terminal (80x24 or larger)"
	@echo "make gdb-N         gdb on stage N's demo, with info coroutines and"
	@echo "                   coroutine ID bt (SWITCH= picks the switch)"
	@echo "make exercise-N    a workspace with an exercise of stage N to write"
	@echo "                   (X=name picks one; exercises/ lists them)"
	@echo "make grade-N       grade it: a line per check, then a score (X=name)"
	@echo "make solution-N    the kit's answer, as a diff from the workspace"
	@echo "make bench         the benchmark tables (QUICK=1: a short run)"
	@echo "make golden        rewrite tests/golden/ from the demos"\
	      "(read the diff!)"
	@echo "make clean         remove everything built"
	@echo "Stages: $(STAGES)"

stage-%:
	$(if $(call stage_problem,$*),$(error $(call stage_problem,$*)))
	@$(MAKE) -s --no-print-directory -C $(call stage,$*) run STEP=$(STEP) \
	    $(if $(switch),MODE=$(switch) SWITCH=$(switch))

test:
	@tests/need-cunit
	@tests/run

# 141: whoever read the diff (head, the pager) stopped reading it.
diff-%:
	$(if $(call diff_problem,$*),$(error $(call diff_problem,$*)))
	@tools/stage-diff $(if $(filter-out 0,$(FULL)),--full) \
	    $(call before,$*) $(call stage,$*) || [ $$? = 141 ]

# gdb on stage N's demo, built -O0 -g, with gdb/coroutines.py loaded
# and a breakpoint where coroutines are stopped (see gdb/stops; STOP=
# names another stop of the stage there, e.g. make gdb-5 STOP=pipeline).
gdb-%:
	@test -n "$(call stage,$*)" || { echo "make gdb-N: N is 1 to 5"; exit 1; }
	@gdb/start $(call stage,$*)$(if $(STOP),:$(STOP)) \
	    $(or $(SWITCH),$(MODE),-)

golden:
	@tests/golden-update
	@tests/gdb/run --update || [ $$? = 77 ]

# patat shows the deck as it is; mdp is given it by tools/slides-for-mdp
# (the title from the YAML block, HTML comments out).
slides:
	$(if $(slides_cannot),$(error $(slides_cannot)))
	@tools/slides SLIDES.md
slides_cannot = $(shell tools/slides --cannot SLIDES.md)

# The exercises (exercises/README.md): a workspace made from stage N
# with one exercise's answer regions stubbed out, its grader, and the
# kit's answer as a diff.  X=name picks the exercise; without it, the
# stage's first.  A grade below full marks is no error of make's.
exercise-%:
	@exercises/make-workspace $* $(X)

grade-%:
	@exercises/grade $* $(X) || [ $$? = 1 ]

solution-%:
	@exercises/solution $* $(X) || [ $$? = 141 ]

# QUICK=1: a shorter run, without the biggest cases (see bench/run)
bench:
	@bench/run $(if $(filter-out 0,$(QUICK)),--quick)

clean:
	rm -rf build $(addsuffix /build,$(STAGES))

.PHONY: help test golden slides bench clean
