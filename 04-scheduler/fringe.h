/*
 * fringe.h - the same-fringe problem, the classic use of generators:
 * do two binary trees have the same leaves in the same order, whatever
 * their shapes?
 *
 *        (((1 2) 3) (4 5))          (1 ((2 3) (4 5)))
 *
 *               .                        .
 *             /   \                    /   \
 *            .     .                  1     .
 *           / \   / \                     /   \
 *          .   3 4   5                   .     .
 *         / \                           / \   / \
 *        1   2                         2   3 4   5
 *
 *        fringe: 1 2 3 4 5           fringe: 1 2 3 4 5
 *
 * A recursive walk is the natural way to visit a tree, but it holds its
 * place on the call stack.  Two walks, each a generator on a stack of
 * its own, can be stepped side by side, one leaf at a time, and dropped
 * at the first difference.
 */
#ifndef FRINGE_H
#define FRINGE_H

#include <stdbool.h>

#include "gen.h"

struct tree {
    struct tree *left, *right;  /* both NULL: a leaf */
    long         leaf;          /* a leaf's value */
};

/* A tree from its text: a number (a long) is a leaf, "(x y)" a node
 * with the trees x and y under it, nested at most 1000 deep.  NULL, with
 * a message on stderr naming the problem, when text is NULL or not one
 * such tree, or there is no memory. */
struct tree *tree_parse(const char *text);

/* Free t and everything under it.  NULL: nothing. */
void tree_free(struct tree *t);

/* A generator that yields t's leaves, left to right, by walking t
 * recursively on its own stack.  name labels it (see gen_new()).  NULL,
 * with a message, when t is NULL or the generator cannot be made. */
gen *leaves_new(const struct tree *t, const char *name);

/* What same_fringe() shows at each step: the step's number (from 1),
 * and the leaf of each tree, or NULL for a tree that has no more. */
typedef void (*fringe_look)(int step, const long *a, const long *b);

/* Do a and b have the same leaves in the same order?  Walks each with
 * a generator ("first tree", "second tree"), one leaf of each at a
 * time, only as far as the first difference.  look, if not NULL, sees
 * every step.  false too, after a message, when a or b is NULL or a
 * walk cannot be made (SWITCH=copy has no generators). */
bool same_fringe(const struct tree *a, const struct tree *b,
                 fringe_look look);

#endif
