/*
 * Consecutive terms of a linear recurrence, the driver (see lr_sequence.h): a jump to the start
 * of every segment (lr_term_* for the k window terms, one index each), then the range kernels
 * of lr_seq_kernels.c step forward, chunk by chunk.
 */
#include "lr_sequence.h"
#include "lr_polymod.h"
#include "lr_float.h"

#include <stdlib.h>
#include <string.h>

/* Orders whose outputs are split into interleaved segments (beyond, the k products of one
 * term already keep the multipliers busy). */
#define LR_SEQ_SPLIT_MAX_K 16
/* Interleaving needs a jump per segment: only worth it for long outputs. */
#define LR_SEQ_SPLIT_MIN ((int64_t)1 << 15)
/* The blocked modular kernel's table (B k steps) pays off from about this many terms. */
#define LR_SEQ_BLOCK_MIN ((int64_t)1 << 12)

/* ---- driver ---------------------------------------------------------------------------- */

size_t
lr_seq_work_bytes(lr_method method, int64_t k)
{
    size_t wb = lr_work_bytes(method, k);
    if (wb == 0 || (size_t)k > (SIZE_MAX - wb - 16) / 8) {
        return 0;
    }
    /* the term workspace, then k slots for the kernel's coefficients (16-byte multiple),
     * then the blocked kernel's table */
    size_t tb = k <= LR_SEQ_BLOCK_MAX_K ? (size_t)k * LR_SEQ_BLOCK * 8 : 0;
    return wb + (((size_t)k * 8 + 15) & ~(size_t)15) + tb;
}

/*
 * a[n] mod 2^64 for n >= 0 by x^n mod the characteristic polynomial in wrapping arithmetic,
 * O(k^2 log n).  The only int64 candidate for a[n]: cheap where the certified int64 jump
 * can be slow (a fitting term far out whose magnitude bound is astronomic).
 *   work: 3k slots
 */
static uint64_t
lr_u64w_term(int64_t k, const int64_t *c, const int64_t *init, uint64_t n, uint64_t *work)
{
    if (n < (uint64_t)k) {
        return (uint64_t)init[n];
    }
    uint64_t *r = work, *t = work + k;
    for (int64_t i = 0; i < k; i++) {
        r[i] = i == 0;
    }
    int hb = 63;
    while (!((n >> hb) & 1u)) {
        hb--;
    }
    for (int b = hb; b >= 0; b--) {
        int shift = (int)((n >> b) & 1u);
        for (int64_t i = 0; i < 2 * k; i++) {
            t[i] = 0;
        }
        for (int64_t i = 0; i < k; i++) {
            for (int64_t j = 0; j < k; j++) {
                t[i + j + shift] += r[i] * r[j];
            }
        }
        for (int64_t d = 2 * k - 1; d >= k; d--) {
            for (int64_t i = 0; i < k; i++) {
                t[d - k + i] += t[d] * (uint64_t)c[i];
            }
        }
        for (int64_t i = 0; i < k; i++) {
            r[i] = t[i];
        }
    }
    uint64_t acc = 0;
    for (int64_t i = 0; i < k; i++) {
        acc += r[i] * (uint64_t)init[i];
    }
    return acc;
}

/* r <- r * x mod f(x) = x^k - sum c[i] x^i (Montgomery representation). */
static void
lr_seq_times_x(const lr_mod_t *ctx, int64_t k, const uint64_t *cw, uint64_t *r)
{
    uint64_t top = r[k - 1];
    for (int64_t i = k - 1; i > 0; i--) {
        r[i] = r[i - 1];
    }
    r[0] = 0;
    for (int64_t i = 0; i < k; i++) {
        r[i] = lr_mod_add(ctx, r[i], lr_mod_mul(ctx, top, cw[i]));
    }
}

void
lr_seq_window_mod(int64_t k, const uint64_t *c, const uint64_t *init, uint64_t n, uint64_t m,
                  int64_t w, uint64_t *out, uint64_t *work)
{
    if (m == 1) {
        for (int64_t j = 0; j < w; j++) {
            out[j] = 0;
        }
        return;
    }
    lr_mod_t ctx;
    lr_mod_init(&ctx, m);
    uint64_t *r = work, *t = work + k, *cw = work + 3 * k, *iw = work + 4 * k;
    for (int64_t i = 0; i < k; i++) {
        cw[i] = lr_mod_to(&ctx, c[i]);
        iw[i] = lr_mod_to(&ctx, init[i]);
        r[i] = i == 0 ? ctx.one : 0;
    }
    /* r = x^n mod f, left to right over the bits of n */
    for (int b = 63; b >= 0; b--) {
        int started = (n >> b) != 0;
        if (!started) {
            continue;
        }
        if (!lr_polymod_square(&ctx, k, cw, r, t)) { /* even m or small k: plainly */
            for (int64_t i = 0; i < 2 * k - 1; i++) {
                t[i] = 0;
            }
            for (int64_t i = 0; i < k; i++) {
                if (r[i] == 0) {
                    continue;
                }
                for (int64_t j = 0; j < k; j++) {
                    t[i + j] = lr_mod_add(&ctx, t[i + j], lr_mod_mul(&ctx, r[i], r[j]));
                }
            }
            for (int64_t d = 2 * k - 2; d >= k; d--) {
                for (int64_t i = 0; i < k; i++) {
                    t[d - k + i] = lr_mod_add(&ctx, t[d - k + i], lr_mod_mul(&ctx, t[d], cw[i]));
                }
            }
            for (int64_t i = 0; i < k; i++) {
                r[i] = t[i];
            }
        }
        if ((n >> b) & 1u) {
            lr_seq_times_x(&ctx, k, cw, r);
        }
    }
    for (int64_t j = 0; j < w; j++) {
        uint64_t acc = 0;
        for (int64_t i = 0; i < k; i++) {
            acc = lr_mod_add(&ctx, acc, lr_mod_mul(&ctx, r[i], iw[i]));
        }
        out[j] = lr_mod_from(&ctx, acc);
        if (j + 1 < w) {
            lr_seq_times_x(&ctx, k, cw, r);
        }
    }
}

/* One window term: out[j] = a[start + j] by a jump (j is the first offset of its segment
 * plus less than k). */
static lr_status
lr_seq_window_term(lr_seq_t *s, int64_t j, int64_t *bad)
{
    lr_index_t idx = lr_index_add(s->start, (uint64_t)j);
    *bad = j;
    if (s->ring == LR_SEQ_I64 && j >= s->k && !idx.neg) {
        /* a later segment: a candidate, confirmed by stepping into it from the one before */
        ((uint64_t *)s->out)[j] =
            lr_u64w_term(s->k, (const int64_t *)s->c, (const int64_t *)s->init, idx.mag, s->work);
        s->verify = 1;
        return LR_OK;
    }
    if (s->ring == LR_SEQ_I64) {
        return lr_term_i64(s->method, s->k, (const int64_t *)s->c, (const int64_t *)s->init, idx,
                           (int64_t *)s->out + j, s->work);
    }
    if (s->ring == LR_SEQ_F64) {
        return lr_term_f64(s->method, s->k, (const double *)s->c, (const double *)s->init, idx,
                           (double *)s->out + j, s->work);
    }
    return lr_term_mod(s->method, s->k, (const uint64_t *)s->c, (const uint64_t *)s->init, idx,
                       s->mod.m, (uint64_t *)s->out + j, s->work);
}

/* One segment covering the whole output; the first `done` terms are already right. */
static void
lr_seq_single(lr_seq_t *s, int64_t done)
{
    s->nseg = 1;
    s->seg[0] = 0;
    s->seg[1] = s->count;
    s->len = s->count;
    s->done = done;
    s->verify = 0;
    s->finished = done >= s->count;
}

/*
 * int64 with candidate windows, all segments stepped: continue each segment exactly for k
 * terms into the next one.  Where that disagrees (the candidate was the residue of a term
 * beyond int64) or overflows, stepping restarts as one chain from that point, which finds
 * the first term that does not fit.  Segment 0 is exact, so by induction so is every
 * segment that is confirmed.
 */
static void
lr_seq_confirm(lr_seq_t *s)
{
    const int64_t k = s->k, *c = (const int64_t *)s->c;
    int64_t *a = (int64_t *)s->out;
    for (int i = 1; i < s->nseg; i++) {
        int64_t b = s->seg[i];
        for (int64_t j = 0; j < k; j++) {
            int64_t v;
            int64_t w[2 * LR_SEQ_SPLIT_MAX_K];
            for (int64_t t = 0; t < k; t++) { /* a[b+j-k .. b+j-1], confirmed ones first */
                w[t] = a[b + j - k + t];
            }
            if (lr_seq_next_i64(k, c, w, &v) || v != a[b + j]) {
                lr_seq_single(s, b + j);
                return;
            }
        }
    }
    s->verify = 0;
}

lr_status
lr_seq_begin(lr_seq_t *s, lr_seq_ring ring, lr_method method, int64_t k, const void *c,
             const void *init, uint64_t m, lr_index_t start, int64_t count, void *out, void *work,
             int64_t *bad)
{
    memset(s, 0, sizeof *s);
    *bad = 0;
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    s->ring = ring;
    s->k = k;
    s->count = count;
    s->out = out;
    s->c = c;
    size_t wb = lr_work_bytes(method, k);
    if (wb == 0) {
        return LR_ERR_ORDER;
    }
    int blocked = 0;
    if (ring == LR_SEQ_MOD) {
        uint64_t *cw = (uint64_t *)((char *)work + wb);
        lr_status st = lr_seq_mod_init(&s->mod, k, (const uint64_t *)c, m, cw);
        if (st != LR_OK) {
            return st;
        }
        /* the blocked kernel needs no segments; its table costs about 2 B k divisions */
        blocked = count >= LR_SEQ_BLOCK_MIN &&
                  lr_seq_mod_block(&s->mod, (const uint64_t *)c, cw + ((k + 1) & ~(int64_t)1));
    }
    lr_seq_single(s, count < k ? count : k);
    if (count <= 0 || init == NULL) {
        return LR_OK;
    }
    s->finished = 0;
    s->init = init;
    s->init0 = init;
    s->method = method;
    s->start = start;
    s->work = work;
    /* Split long outputs of short exact recurrences into interleaved segments.  Floats stay
     * one chain, so that every term is the plain stepping of the ones before it. */
    if (ring != LR_SEQ_F64 && !blocked && k <= LR_SEQ_SPLIT_MAX_K && count >= LR_SEQ_SPLIT_MIN &&
        count >= 1024 * k * k) {
        s->nseg = LR_SEQ_MAX_SEGMENTS;
        s->len = count / s->nseg;
        for (int i = 0; i < s->nseg; i++) {
            s->seg[i] = i * s->len;
        }
        s->seg[s->nseg] = count;
        s->done = k;
    }
    return LR_OK;
}

/* Compute pending window terms for about `budget` multiply-adds (at least one term). */
static lr_status
lr_seq_windows(lr_seq_t *s, int64_t budget, int64_t *bad)
{
    /* one jump: about k^2 products per bit of the index */
    const int64_t cost = s->k * s->k * 64;
    int64_t spent = 0;
    while (s->init != NULL) {
        int i = s->wseg;
        int64_t n = s->seg[i + 1] - s->seg[i];
        if (s->wj >= (n < s->k ? n : s->k)) {
            if (++s->wseg >= s->nseg) {
                s->init = NULL;
            }
            s->wj = 0;
            continue;
        }
        if (spent > 0 && spent + cost > budget) {
            return LR_OK;
        }
        spent += cost;
        lr_index_t idx = lr_index_add(s->start, (uint64_t)s->seg[i]);
        if (s->ring == LR_SEQ_MOD && s->wj == 0 && !idx.neg) {
            /* the whole window of this segment from one power */
            int64_t w = n < s->k ? n : s->k;
            lr_seq_window_mod(s->k, (const uint64_t *)s->c, (const uint64_t *)s->init, idx.mag,
                              s->mod.m, w, (uint64_t *)s->out + s->seg[i], s->work);
            s->wj = w;
            continue;
        }
        lr_status st = lr_seq_window_term(s, s->seg[i] + s->wj, bad);
        s->wj++;
        if (st == LR_OK) {
            continue;
        }
        if (i > 0 && (st == LR_ERR_OVERFLOW || st == LR_ERR_UNCERTIFIED)) {
            /* a later segment starts beyond int64: step one chain from the front, which
             * finds the first term that does not fit exactly */
            lr_seq_single(s, s->k);
            s->init = NULL;
            return LR_OK;
        }
        return st;
    }
    return LR_OK;
}

/* Float64 stepping of out[from..to), checked (lr_f64_fill_checked in lr_float.c). */
static void
lr_seq_fill_f64_checked(lr_seq_t *s, double *a, int64_t from, int64_t to)
{
    lr_f64_fill_checked(s->k, (const double *)s->c, (const double *)s->init0, s->start, a, from,
                        to);
}

/* One phase of the work (windows, interleaved segments, or the last segment's tail). */
static lr_status
lr_seq_step_once(lr_seq_t *s, int64_t budget, int64_t *bad)
{
    if (s->init != NULL) {
        lr_status st = lr_seq_windows(s, budget, bad);
        if (st != LR_OK || s->init != NULL) {
            return st;
        }
    }
    /* the budget counts multiply-adds: k per term */
    budget = budget / s->k > 0 ? budget / s->k : 1;
    const int S = s->nseg;
    const int64_t lastlen = s->seg[S] - s->seg[S - 1];
    int64_t from = s->done, to;
    if (from < s->len) {
        /* all segments side by side */
        int64_t per = budget / S > 0 ? budget / S : 1;
        to = s->len - from > per ? from + per : s->len;
        if (s->ring == LR_SEQ_I64) {
            int64_t j;
            int seg = lr_i64_run_any(s->k, S, (const int64_t *)s->c, (int64_t *)s->out, s->seg,
                                     from, to, &j);
            if (seg == 0) {
                *bad = j;
                return LR_ERR_OVERFLOW;
            }
            if (seg > 0) {
                /* the first failure may lie in an earlier segment: continue one chain */
                lr_seq_single(s, j);
                return LR_OK;
            }
        }
        else if (s->ring == LR_SEQ_F64) {
            for (int i = 0; i < S; i++) {
                lr_seq_fill_f64_checked(s, (double *)s->out + s->seg[i], from, to);
            }
        }
        else {
            lr_mod_run_any(&s->mod, S, (uint64_t *)s->out, s->seg, from, to);
        }
    }
    else {
        /* the remainder of the last segment */
        to = lastlen - from > budget ? from + budget : lastlen;
        const int64_t *b = &s->seg[S - 1];
        if (s->ring == LR_SEQ_I64) {
            int64_t j;
            if (lr_i64_run_any(s->k, 1, (const int64_t *)s->c, (int64_t *)s->out, b, from, to,
                               &j) >= 0) {
                int64_t at = *b + j;
                if (s->verify) {
                    /* genuine only if this segment's window is */
                    lr_seq_confirm(s);
                    if (s->nseg == 1) {
                        return LR_OK;
                    }
                }
                *bad = at;
                return LR_ERR_OVERFLOW;
            }
        }
        else if (s->ring == LR_SEQ_F64) {
            lr_seq_fill_f64_checked(s, (double *)s->out + *b, from, to);
        }
        else {
            lr_mod_run_any(&s->mod, 1, (uint64_t *)s->out, b, from, to);
        }
    }
    s->done = to;
    if (to >= lastlen) {
        s->finished = 1;
        if (s->verify) {
            lr_seq_confirm(s);
        }
    }
    return LR_OK;
}

lr_status
lr_seq_step(lr_seq_t *s, int64_t budget, int64_t *bad)
{
    if (budget > 0) {
        return s->finished ? LR_OK : lr_seq_step_once(s, budget, bad);
    }
    lr_status st = LR_OK;
    while (st == LR_OK && !s->finished) {
        st = lr_seq_step_once(s, INT64_MAX, bad);
    }
    return st;
}
