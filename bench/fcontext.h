/*
 * fcontext.h - the three C-callable functions of Boost.Context's
 * fcontext layer, declared for C: Boost's own header
 * (boost/context/detail/fcontext.hpp) is C++ only, and its functions
 * are extern "C" in libboost_context.
 *
 * make_fcontext prepares a stack (sp is its top) to run fn, which must
 * never return; jump_fcontext saves the running context and resumes
 * to, handing it vp; the resumed side receives the context it came
 * from in transfer_t.fctx.
 */
#ifndef FCONTEXT_H
#define FCONTEXT_H

#include <stddef.h>

typedef void *fcontext_t;
typedef struct {
    fcontext_t fctx;
    void      *data;
} transfer_t;

transfer_t jump_fcontext(fcontext_t const to, void *vp);
fcontext_t make_fcontext(void *sp, size_t size, void (*fn)(transfer_t));

#endif
