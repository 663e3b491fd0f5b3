# builds.sh - which stages the bench finds, built which ways, and the
# building (sourced by bench/run).  Sets BUILDS and BARE.

SWITCHES="copy asm sigstack ucontext"   # every name a stage may accept

# The switches a stage builds: those whose name appears in a source file
# its Makefile compiles for SWITCH= (and MODE=, stage 2's old name).  A
# stage that builds none of them is built once, as it is.
switches_of() {
    local v
    for v in $SWITCHES; do
        make -n -B -s -C "$1" O="$B/probe" SWITCH="$v" MODE="$v" all \
            2>/dev/null | grep -Eq -- "-c [^ ]*${v}[^ ]*\.[cS]( |$)" &&
            echo "$v"
    done
}

# A build is a stage and maybe a switch: 05-channels.asm, 01-setjmp;
# 05-channels.asm+lto is that stage built whole (whole_builds, below).
stage_of() { echo "${1%%.*}"; }
switch_of() { case $1 in *.*) echo "${1#*.}" ;; esac; }
has() { [ -f "$TOP/$(stage_of "$1")/$2" ]; }

# What the tables call a build: "stage 5 asm", "stage 1".
name_of() {
    local n=${1%%-*} v
    v=$(switch_of "$1")
    v=${v/+lto/, built whole (-flto)}
    echo "stage ${n#0}${v:+ $v}"
}

STAGES=$(cd "$TOP" && printf "%s\n" 0[1-9]-*/ | tr -d /)
BUILDS=()
for s in $STAGES; do
    vs=$(switches_of "$s")
    if [ -z "$vs" ]; then
        BUILDS+=("$s")
    else
        for v in $vs; do BUILDS+=("$s.$v"); done
    fi
done

chan_builds() {
    local b
    for b in "${BUILDS[@]}"; do has "$b" chan.h && echo "$b"; done
}

# The stages with channels, SWITCH=asm, built whole: the library with
# -flto, and the program linked with it, so that the compiler inlines
# across the stage's files (a call from chan.c into sched.c, from
# ctx_asm.c into ctx_common.c) as it does within one.  Go's compiler
# inlines across packages.  The tables of switches, channels and the
# sieve have a row for it; none where this compiler and ar cannot.
whole_builds() {
    local b
    [ "$WHOLE" = yes ] || return 0
    for b in $(chan_builds); do
        [ "$(switch_of "$b")" = asm ] && echo "$b+lto"
    done
}

# Can this compiler build a library of -flto objects and link a program
# with it?  The archive needs ar's linker plugin.
lto_works() {
    local d=$B/lto-probe
    mkdir -p "$d" &&
        printf 'int f(void) { return 1; }\n' >"$d/f.c" &&
        printf 'int f(void);\nint main(void) { return f() - 1; }\n' >"$d/m.c" &&
        $CC -O2 -flto -c "$d/f.c" -o "$d/f.o" 2>/dev/null &&
        rm -f "$d/libf.a" && ar rcs "$d/libf.a" "$d/f.o" 2>/dev/null &&
        $CC -O2 -flto "$d/m.c" "$d/libf.a" -o "$d/m" 2>/dev/null && "$d/m"
}
WHOLE=$(lto_works && echo yes)

# The stages' hand-written switches, each file once: BARE names the
# first stage with it, BARE_ALSO the later ones with the same file.
BARE=() BARE_ALSO=()
for s in $STAGES; do
    f=$s/switch_$ARCH.S
    [ -f "$f" ] || continue
    same=
    for i in "${!BARE[@]}"; do
        cmp -s "$f" "${BARE[$i]}/switch_$ARCH.S" && same=$i
    done
    if [ -z "$same" ]; then
        BARE+=("$s") BARE_ALSO+=("")
    else
        BARE_ALSO[same]+=" $(name_of "$s" | cut -d' ' -f2)"
    fi
done

# Everything bench/Makefile is to build; a row whose program did not
# build says so.
build_all() {
    local targets=("$B/peers" "$B/threads" "$B/timeit" "$B/chart") b s
    for b in "${BUILDS[@]}"; do
        targets+=("$B/$b/kit_coro")
        [ "$(stage_of "$b")" = 03-ucontext ] && has "$b" gen.h &&
            targets+=("$B/$b/kit_gen")
        has "$b" chan.h &&
            targets+=("$B/$b/kit_chan" "$B/$b/kit_sieve" "$B/$b/kit_scale")
    done
    for b in $(whole_builds); do
        targets+=("$B/$b/kit_coro" "$B/$b/kit_chan" "$B/$b/kit_sieve")
    done
    for s in "${BARE[@]}"; do targets+=("$B/bare/$s"); done
    have go && targets+=("$B/gobench")
    make -k -j2 -s -C bench B="$B" CC="$CC" "${targets[@]}" \
        >"$B/build.log" 2>&1
}
