/*
 * fringe.c - same fringe with two generators (see fringe.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "coro_impl.h"
#include "fringe.h"
#include "show.h"

/* ---- trees ------------------------------------------------------ */

#define MAX_DEPTH 1000      /* nodes within nodes: deeper is refused, before
                               the parser's own recursion fills the stack */

/* Why parse() gave up, for tree_parse()'s message. */
static const char *why_not;

static void skip_spaces(const char **text)
{
    while (**text == ' ')
        (*text)++;
}

/* A leaf: the number at *text; moves *text past it.  NULL: none. */
static struct tree *parse_leaf(const char **text)
{
    char *end;
    errno = 0;
    long leaf = strtol(*text, &end, 10);
    if (end == *text || errno == ERANGE) {
        why_not = end == *text ? "not one tree" : "a leaf too big for a long";
        return NULL;
    }
    struct tree *t = calloc(1, sizeof *t);
    if (t == NULL) {
        why_not = "no memory";
        return NULL;
    }
    t->leaf = leaf;
    *text = end;
    return t;
}

/* The tree that starts at *text, depth nodes down; moves *text past it.
 * NULL: none, and why_not says why. */
static struct tree *parse(const char **text, int depth)
{
    skip_spaces(text);
    if (**text != '(')
        return parse_leaf(text);
    if (depth == MAX_DEPTH) {
        why_not = "nested too deep";
        return NULL;
    }
    struct tree *t = calloc(1, sizeof *t);
    if (t == NULL) {
        why_not = "no memory";
        return NULL;
    }
    (*text)++;
    t->left = parse(text, depth + 1);
    t->right = t->left ? parse(text, depth + 1) : NULL;
    skip_spaces(text);
    if (t->right == NULL || **text != ')') {
        if (t->right != NULL)
            why_not = "not one tree";
        tree_free(t);
        return NULL;
    }
    (*text)++;
    return t;
}

struct tree *tree_parse(const char *text)
{
    if (text == NULL) {
        coro_complain("tree_parse: text is NULL");
        return NULL;
    }
    const char *rest = text;
    why_not = "not one tree";
    struct tree *t = parse(&rest, 0);
    skip_spaces(&rest);
    if (t != NULL && *rest != '\0')
        why_not = "not one tree";
    if (t == NULL || *rest != '\0') {
        coro_complain("tree_parse: %s: %.60s", why_not, text);
        tree_free(t);
        return NULL;
    }
    return t;
}

void tree_free(struct tree *t)
{
    if (t == NULL)
        return;
    tree_free(t->left);
    tree_free(t->right);
    free(t);
}

/* ---- the walk --------------------------------------------------- */

/* Yield the leaves under t, left to right.  Every gen_yield() stops
 * the generator in the middle of this recursion, with one walk() frame
 * per level on its stack, and the next gen_next() carries on there. */
/* == exercise fringe (walk): the answer begins == */
KEEP_FRAME static void walk(const struct tree *t)
{
    if (t->left == NULL && t->right == NULL) {
        gen_yield(t->leaf);
        return;
    }
    walk(t->left);
    walk(t->right);
}
/* == exercise fringe (walk): the answer ends == */

KEEP_FRAME static void leaves(void *tree)
{
    walk(tree);
}

gen *leaves_new(const struct tree *t, const char *name)
{
    if (t == NULL) {
        coro_complain("leaves_new: the tree is NULL");
        return NULL;
    }
    return gen_new(leaves, (void *)t, name);
}

/* ---- the consumer ----------------------------------------------- */

/* == exercise fringe (same_fringe): the answer begins == */
bool same_fringe(const struct tree *a, const struct tree *b,
                 fringe_look look)
{
    if (a == NULL || b == NULL) {
        coro_complain("same_fringe: a tree is NULL");
        return false;
    }
    gen *first = leaves_new(a, "first tree");
    gen *second = leaves_new(b, "second tree");
    bool same = first != NULL && second != NULL;
    for (int step = 1; same; step++) {
        long x, y;
        bool more_a = gen_next(first, &x);
        bool more_b = gen_next(second, &y);
        if (look != NULL)
            look(step, more_a ? &x : NULL, more_b ? &y : NULL);
        if (!more_a || !more_b) {
            same = !more_a && !more_b;  /* both ran out together */
            break;
        }
        same = x == y;
    }
    gen_free(first);                    /* abandoned mid-walk, if */
    gen_free(second);                   /* they differed */
    return same;
}
/* == exercise fringe (same_fringe): the answer ends == */
