/*
 * fringe.c - same fringe with two generators (see fringe.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fringe.h"
#include "show.h"

/* ---- trees ------------------------------------------------------ */

static void skip_spaces(const char **text)
{
    while (**text == ' ')
        (*text)++;
}

/* The tree that starts at *text; moves *text past it.  NULL: none. */
static struct tree *parse(const char **text)
{
    skip_spaces(text);
    struct tree *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    if (**text != '(') {
        char *end;
        t->leaf = strtol(*text, &end, 10);
        if (end == *text) {
            free(t);
            return NULL;
        }
        *text = end;
        return t;
    }
    (*text)++;
    t->left = parse(text);
    t->right = t->left ? parse(text) : NULL;
    skip_spaces(text);
    if (t->right == NULL || **text != ')') {
        tree_free(t);
        return NULL;
    }
    (*text)++;
    return t;
}

struct tree *tree_parse(const char *text)
{
    const char *rest = text;
    struct tree *t = parse(&rest);
    skip_spaces(&rest);
    if (t == NULL || *rest != '\0') {
        fprintf(stderr, "tree_parse: not one tree: %s\n", text);
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
KEEP_FRAME static void walk(const struct tree *t)
{
    if (t->left == NULL && t->right == NULL) {
        gen_yield(t->leaf);
        return;
    }
    walk(t->left);
    walk(t->right);
}

KEEP_FRAME static void leaves(void *tree)
{
    walk(tree);
}

gen *leaves_new(const struct tree *t, const char *name)
{
    return gen_new(leaves, (void *)t, name);
}

/* ---- the consumer ----------------------------------------------- */

bool same_fringe(const struct tree *a, const struct tree *b,
                 fringe_look look)
{
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
