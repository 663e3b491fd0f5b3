# exercises/verdict.awk - what a run of the test program says of one
# test, or of every test of a suite: "ok", "SKIPPED why", or what went
# wrong, in words, on one line ("|" starts another).  exercises/grade
# runs it on the output of CU_VERBOSE=1, with -v suite=... test=...
# (test "" for the whole suite) status=... (the program's exit status).
#
# CUnit prints "Suite: NAME", then "  Test: NAME ..." as each test
# begins, and when it ends "passed", or "FAILED" and a line per failed
# assertion: "    1. suites/switch.c:36  - CU_ASSERT_EQUAL(lost[0],0)".
# What the test printed comes in between.  A test that says neither is
# where the program died: @ENDING@ stands for how it ended, which the
# grader puts in words.

/^Suite: /                  { end_test(); in_suite = ($0 == "Suite: " suite)
                              suite_seen += in_suite; next }
/^  Test: /                 { end_test(); begin_test(); next }
/^Run Summary:|^\[status /  { end_test(); next }
/^Skipped here/             { listing = 1; next }
listing                     { note_skipped(); next }
running                     { out = out $0 "\n" }

function begin_test(    rest, at) {
    rest = substr($0, 9)
    at = index(substr(rest, 2), " ...") + 1     # a name may begin "..."
    name = substr(rest, 1, at - 1)
    out = substr(rest, at + 4) "\n"
    running = 1
}

function end_test(    result) {
    if (!running) return
    running = 0
    result = result_of(out)
    if (result == "") died_in = name
    if (!in_suite || (test != "" && name != test)) return
    seen++
    if (result == "passed") return
    failed++
    if (first == "")
        first = (test == "" ? "\"" name "\": " : "") \
                (result == "" ? died(out) : result)
}

# "passed", what a failed assertion says, or "" if the test never ended.
function result_of(s,    line) {
    if (s ~ /\n    1\. /) {
        line = substr(s, index(s, "\n    1. ") + 8)
        line = substr(line, 1, index(line, "\n") - 1)
        sub(/^suites\//, "", line)
        return substr(line, 1, index(line, "  - ") - 1) ": " \
               words(substr(line, index(line, "  - ") + 4))
    }
    if (s ~ /passed\n*$/) return "passed"
    if (s ~ /FAILED/) return "it failed"
    return ""
}

# A failed assertion in words: "wanted lost[0] == 0", "x is false".
function words(c,    inner) {
    if (c !~ /^CU_ASSERT[A-Z_]*\(.*\)$/) return c " is false"
    inner = c; sub(/^[A-Z_]*\(/, "", inner); sub(/\)$/, "", inner)
    sub(/_FATAL\(/, "(", c)
    if (c ~ /^CU_ASSERT(_TRUE)?\(/) return inner " is false"
    if (c ~ /^CU_ASSERT_FALSE\(/) return inner " is true"
    if (c ~ /^CU_ASSERT_PTR_NULL\(/) return inner " is not NULL"
    if (c ~ /^CU_ASSERT_PTR_NOT_NULL\(/) return inner " is NULL"
    if (c ~ /^CU_ASSERT_(PTR_|STRING_)?EQUAL\(/)
        return "wanted " split2(inner, " == ")
    if (c ~ /^CU_ASSERT_(PTR_|STRING_)?NOT_EQUAL\(/)
        return "wanted " split2(inner, " != ")
    return c " is false"
}

# "a,b" as "a == b": split at the comma outside brackets.
function split2(s, op,    i, depth, ch) {
    for (i = 1; i <= length(s); i++) {
        ch = substr(s, i, 1)
        if (ch == "(" || ch == "[") depth++
        else if (ch == ")" || ch == "]") depth--
        else if (ch == "," && depth == 0)
            return substr(s, 1, i - 1) op substr(s, i + 1)
    }
    return s
}

# How the program died in a test: what a sanitizer found, and where; or
# how it ended, and the last thing it said.
function died(s,    n, i, what, at) {
    n = split(s, L, "\n")
    for (i = 1; i <= n; i++) {
        if (L[i] ~ /ERROR: AddressSanitizer: /) {
            what = L[i]; sub(/.*ERROR: AddressSanitizer: /, "", what)
            sub(/ on .*/, "", what)
            return "AddressSanitizer found a " what " in this test" frame(i, n)
        }
        if (L[i] ~ /runtime error: /) {
            what = L[i]; sub(/.*runtime error: /, "", what)
            at = L[i]; sub(/: runtime error: .*/, "", at); sub(/.*\//, "", at)
            sub(/:[0-9]+$/, "", at)
            return "UBSan found an error in this test, at " at ": " what
        }
    }
    return "the program @ENDING@ in this test" said(n)
}

# ", in save() at ctx_copy.c:187": the first frame of a sanitizer
# report (from line i) that is not in the sanitizer itself.
function frame(i, n,    f, w) {
    for (; i <= n; i++)
        if (L[i] ~ /^ +#[0-9]+ 0x[0-9a-f]+ in / &&
            L[i] !~ /interceptor|sanitizer/) {
            f = L[i]; sub(/^ +#[0-9]+ 0x[0-9a-f]+ in /, "", f)
            split(f, w, " "); sub(/.*\//, "", w[2])
            return ", in " w[1] "() at " w[2]
        }
    return ""
}

# "|it said: ...": the last line the program printed, if any.
function said(n,    i, line) {
    for (i = n; i >= 1; i--) {
        line = L[i]; sub(/^==[0-9]+==/, "", line)
        if (line != "" && line !~ /WARNING: ASan doesn.t fully support/)
            return "|it said: " line
    }
    return ""
}

# After the run, cu.c lists the tests it skipped: "  SUITE: TEST" (or
# "  SUITE: all N tests", "its one test"), then the reason.
function note_skipped(    line) {
    if (skip_next) {
        line = $0; sub(/^ */, "", line)
        skipped = line; skip_next = 0
        return
    }
    if (index($0, "  " suite ": ") != 1) return
    line = substr($0, length("  " suite ": ") + 1)
    if (line == test || line ~ /^(all [0-9]+ tests|its one test)$/)
        skip_next = 1
}

END {
    end_test()
    if (seen == 0 && skipped != "")
        print "SKIPPED " skipped
    else if (seen == 0 && died_in != "")
        print "not run: the program @ENDING@ in an earlier test, \"" \
              died_in "\""
    else if (seen == 0 && suite_seen && test != "")
        print "the kit has no test \"" test "\" in \"" suite "\""
    else if (seen == 0)
        print "the kit has no suite \"" suite "\""
    else if (first == "")
        print "ok"
    else if (test == "" && failed > 1)
        print failed " of " seen " tests failed; first " first
    else
        print first
}
