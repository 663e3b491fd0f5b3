# exercises/lib.sh - what make-workspace, grade, solution and check share:
# where the stages and exercises are, what an exercise's checks file
# says, and which files hold its regions (regions.awk replaces them).
#
# An answer region in a stage's source is a pair of comment lines:
#     /* == exercise swap (ctx_swap): the answer begins == */
#     ...the kit's answer...
#     /* == exercise swap (ctx_swap): the answer ends == */
# and exercises/<stage>/<exercise>/<file> holds the same pairs around the
# stubs that replace them in a workspace (see exercises/README.md).

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EX=$TOP/exercises

say() { printf '%s\n' "$*"; }

# The stage directory of stage N (1, or 01): 02-stack-switch.  Nothing
# if there is no such stage.
stage_dir() {
    local n=${1#0}
    case $n in [1-9]) ;; *) return 1 ;; esac
    (cd "$TOP" && ls -d "0$n"-*/ 2>/dev/null | head -1 | tr -d /)
}

# Stage N's exercises, in the order its EXERCISES.md gives them: the
# first is what `make exercise-N` makes without X=.
exercises_of() { grep -v '^#' "$EX/$1/list"; }

# One field of an exercise's checks file: switch, minutes, kind.
field() {
    sed -n "s/^$3 *//p" "$EX/$1/$2/checks" | head -1
}

# workspace/02-swap: where exercise X of a stage is written.
workspace_of() { say "$TOP/workspace/${1%%-*}-$2"; }

# The exercise named, or the stage's first: prints it, or says in one
# line what is wrong (for make TARGET) and fails.
pick_exercise() {
    local target=$1 n=$2 x=${3:-} stage list
    stage=$(stage_dir "$n") || stage=
    if [ -z "$stage" ]; then
        say "make $target-$n: there is no stage $n; choose $target-1 .." \
            "$target-5" >&2
        return 1
    fi
    list=$(exercises_of "$stage" | tr '\n' ' ')
    [ -n "$x" ] || x=${list%% *}
    case " $list" in
    *" $x "*) say "$x" ;;
    *) say "make $target-$n X=$x: stage ${n#0}'s exercises are" \
           "$(echo $list | sed 's/ /, /g')" >&2
       return 1 ;;
    esac
}

# The source files of a stage (or a workspace): what a build leaves
# there is not one of them.
sources_of() {
    (cd "$1" && find . -path ./build -prune -o -type f \
         ! -name '*.o' ! -name '*.a' -print | sed 's|^\./||' | sort)
}

# The files of dir that hold regions of exercise x.
files_with() {
    (cd "$1" && grep -l "^[[:space:]]*/\* == exercise $2 (" \
         $(sources_of "$1") 2>/dev/null)
}

# Replace every region of exercise x in file with the region of the
# same name in stubs; print the result (regions.awk).
substitute() {
    awk -v x="$1" -v stubs="$3" -f "$EX/regions.awk" "$2"
}
