/*
 * Many indices for one recurrence (lr_terms_*, the broadcast ufunc call): the batch policy.
 * Runs of consecutive indices go to the sequence driver (lr_sequence.c), the rest share a
 * fixed-base window table or take the single-term path (lr_term.c); lr_choose decides which
 * family of algorithms a call gets.  Dependencies run one way: batch -> sequence -> term.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lr_batch.h"
#include "lr_choose.h"
#include "lr_core.h"
#include "lr_float.h"
#include "lr_order2.h"
#include "lr_ring_util.h"
#include "lr_sequence.h"
#include "lr_term.h"

/* ---- helpers shared by every ring ------------------------------------------------------ */

static lr_status
lr_run_sequence(lr_seq_ring ring, int64_t k, const void *c, const void *init, uint64_t m,
                lr_index_t start, int64_t count, char *out, int64_t *bad)
{
    size_t wb = lr_seq_work_bytes(LR_METHOD_AUTO, k);
    void *work = wb ? malloc(wb) : NULL;
    if (work == NULL) {
        return wb ? LR_ERR_NOMEM : LR_ERR_ORDER;
    }
    lr_seq_t seq;
    lr_status st =
        lr_seq_begin(&seq, ring, LR_METHOD_AUTO, k, c, init, m, start, count, out, work, bad);
    if (st == LR_OK) {
        st = lr_seq_step(&seq, 0, bad);
    }
    free(work);
    return st;
}

/* Every index of b on its own (explicit methods, single indices); names the failing one. */
static lr_status
lr_batch_each(lr_batch_t *b, lr_single_fn single, void *data)
{
    for (int64_t t = 0; t < b->count; t++) {
        lr_index_t n = lr_batch_index(b, t);
        lr_status st = single(data, n, b->out + t * b->out_stride);
        if (st != LR_OK) {
            b->failed_n = n;
            return st;
        }
    }
    return LR_OK;
}

/* Is index t+1 exactly index t plus one (both non-negative)? */
static inline int
lr_batch_is_next(const lr_batch_t *b, int64_t t)
{
    lr_index_t a = lr_batch_index(b, t), n = lr_batch_index(b, t + 1);
    return !a.neg && !n.neg && a.mag != UINT64_MAX && n.mag == a.mag + 1;
}

/* Are the indices first, first+1, ..., first+count-1 (non-negative)?  One pass; a tight loop
 * for the contiguous int64 case, which is what np.arange gives. */
static int
lr_batch_is_arange(const lr_batch_t *b)
{
    lr_index_t first = lr_batch_index(b, 0);
    if (first.neg || first.mag > UINT64_MAX - (uint64_t)b->count) {
        return 0;
    }
    /* the tight loop computes p0 + t in int64: only when that cannot overflow */
    if (b->n_stride == 8 && !b->n_unsigned && ((uintptr_t)b->n % 8) == 0 &&
        first.mag <= (uint64_t)(INT64_MAX - b->count)) {
        const int64_t *p = (const int64_t *)(const void *)b->n;
        const int64_t p0 = p[0];
        for (int64_t t = 1; t < b->count; t++) {
            if (p[t] != p0 + t) {
                return 0;
            }
        }
        return 1;
    }
    for (int64_t t = 1; t < b->count; t++) {
        lr_index_t idx = lr_batch_index(b, t);
        if (idx.neg || idx.mag != first.mag + (uint64_t)t) {
            return 0;
        }
    }
    return 1;
}

/* ---- arithmetic runs: n, n + d, n + 2d, ... (reversed or strided aranges) ------------- */

/* The longest stride taken through the sequence kernels (each output then costs |d| steps of
 * O(k), against O(k^2 log n) from the table), and the terms one kernel call fills at most. */
#define LR_STRIDE_MAX 16
#define LR_SPAN_MAX 32768

/* The difference d of indices t and t+1 when both are non-negative and 0 < |d| <= max, else 0. */
static int64_t
lr_batch_stride(const lr_batch_t *b, int64_t t, int64_t max)
{
    lr_index_t a = lr_batch_index(b, t), n = lr_batch_index(b, t + 1);
    if (a.neg || n.neg) {
        return 0;
    }
    if (n.mag > a.mag) {
        return n.mag - a.mag <= (uint64_t)max ? (int64_t)(n.mag - a.mag) : 0;
    }
    return a.mag - n.mag <= (uint64_t)max ? -(int64_t)(a.mag - n.mag) : 0;
}

/* How many indices from t on step by d (at least 1). */
static int64_t
lr_batch_run_length(const lr_batch_t *b, int64_t t, int64_t d)
{
    int64_t len = 1;
    while (t + len < b->count && lr_batch_stride(b, t + len - 1, LR_STRIDE_MAX) == d) {
        len++;
    }
    return len;
}

/*
 * Outputs t .. t+len-1, whose indices step by d, from the sequence kernels: chunks of terms
 * from the lowest index of each chunk into scratch (room for `span` terms), every |d|-th
 * copied out.  Returns how many outputs it wrote; fewer than len when a kernel call failed
 * (int64 overflow in a term in between, say): the caller takes those one by one.
 */
static int64_t
lr_batch_arith(lr_batch_t *b, int64_t t, int64_t len, int64_t d, lr_run_fn run, void *rdata,
               uint64_t *scratch, int64_t span)
{
    const int64_t ad = d < 0 ? -d : d;
    const int64_t chunk = (span - 1) / ad + 1;
    int64_t done = 0;
    while (done < len) {
        int64_t m = len - done < chunk ? len - done : chunk;
        /* the chunk's lowest index: its first (d > 0) or its last (d < 0) */
        lr_index_t lo = lr_batch_index(b, d > 0 ? t + done : t + done + m - 1);
        int64_t bad = 0;
        if (run(rdata, lo, (m - 1) * ad + 1, (char *)scratch, &bad) != LR_OK) {
            break;
        }
        for (int64_t j = 0; j < m; j++) {
            int64_t off = (d > 0 ? j : m - 1 - j) * ad;
            memcpy(b->out + (t + done + j) * b->out_stride, &scratch[off], 8);
        }
        done += m;
    }
    return done;
}

/*
 * Window width w of the power table for `count` non-negative indices of up to `bits` bits,
 * from a count of ring products: plain powering costs ~1.5 k^2 per bit, a table costs
 * nb 2^w products to build and nb per index (nb = bits / w), each ~2 k^2.  0: no table.
 */
static int
lr_batch_window_bits(int64_t k, int bits, int64_t count)
{
    if (count < 4 || bits < 8) {
        return 0;
    }
    double plain = 1.5 * (double)count * bits;
    double best = plain;
    int bestw = 0;
    for (int w = 2; w <= 10; w++) {
        double nb = (double)((bits + w - 1) / w);
        double bytes = nb * (double)(1 << w) * (double)k * 8.0;
        if (bytes > 8.0 * 1024 * 1024) { /* keep the table small beside the output */
            break;
        }
        double cost = 2.0 * nb * ((double)(1 << w) + (double)count);
        if (cost < best) {
            best = cost;
            bestw = w;
        }
    }
    return bestw;
}

/*
 * Many indices for one recurrence (the broadcast ufunc call), in the ring described by `ring`
 * (x its context, c and init its coefficients and initial values as ring elements).
 * Consecutive runs of indices step forward in O(k) per term from a window of k exact terms
 * (long runs into contiguous output: the sequence kernels through `run`); other non-negative
 * indices use a fixed-base window table of x^(d 2^(wb)) mod f when the batch is large enough
 * to pay for it; everything else (negative n, overflow in the fast paths) goes through
 * `single`, which also names the failing index.
 */
static lr_status
lr_batch_run(const lr_batch_ring *ring, const void *x, int64_t k, const void *c, const void *init,
             lr_batch_t *io, lr_single_fn single, void *sdata, lr_run_fn run, void *rdata)
{
    const int64_t count = io->count;
    uint64_t maxn = 0;
    int64_t nonneg = 0;
    lr_index_t first = lr_batch_index(io, 0);
    int one_run = lr_batch_is_arange(io);
    for (int64_t t = 0; t < count && !one_run; t++) {
        lr_index_t idx = lr_batch_index(io, t);
        if (!idx.neg) {
            maxn = idx.mag > maxn ? idx.mag : maxn;
            nonneg++;
        }
    }
    if (one_run && run != NULL && io->out_stride == 8 && count >= LR_RUN_MIN) {
        /* the whole batch is an arange: straight to the sequence kernels */
        int64_t bad = 0;
        lr_status rs = run(rdata, first, count, io->out, &bad);
        if (rs == LR_OK) {
            return LR_OK;
        }
        if (rs == LR_ERR_OVERFLOW) {
            io->failed_n = lr_index_from_u64(first.mag + (uint64_t)bad);
            return rs;
        }
    }
    if (one_run) {
        maxn = first.mag + (uint64_t)(count - 1);
        nonneg = count;
    }
    int bits = 0;
    while (bits < 64 && (maxn >> bits) != 0) {
        bits++;
    }
    int w = ring->tables ? lr_batch_window_bits(k, bits, nonneg) : 0;
    int nb = w ? (bits + w - 1) / w : 0;
    size_t D = (size_t)1 << w;
    size_t tab = w ? (size_t)nb * D * (size_t)k : 0;
    size_t elems = 5 * (size_t)k + tab;
    /* ring elements are 8 bytes (lr_batch.h) */
    uint64_t *mem = malloc(elems * 8 + (w ? (size_t)nb * D : 0) + 16);
    if (mem == NULL && w) {
        w = 0;
        nb = 0;
        tab = 0;
        mem = malloc(5 * (size_t)k * 8 + 16);
    }
    if (mem == NULL) {
        return LR_ERR_NOMEM;
    }
    uint64_t *r = mem, *t = mem + k, *win = mem + 3 * k, *base = mem + 4 * k;
    uint64_t *T = mem + 5 * k;
    unsigned char *ok = (unsigned char *)(mem + elems);
    if (w) {
        ring->table_build(x, k, c, w, nb, T, ok, t, base);
    }
    lr_status st = LR_OK;
    /* arithmetic runs other than contiguous ascending ones (those are below): reversed ones
     * in every ring, strided ones where no term in between can fail or spoil (not floats) */
    const int64_t stride_max = run == NULL ? 0 : ring->careful ? 1 : LR_STRIDE_MAX;
    const int64_t span = LR_SPAN_MAX > 64 * k ? LR_SPAN_MAX : 64 * k;
    uint64_t *scratch = NULL;
    int64_t plain_until = 0; /* indices before this take the paths below */
    int64_t i = 0;
    while (i < count) {
        int64_t d = i >= plain_until && i + 1 < count ? lr_batch_stride(io, i, stride_max) : 0;
        if (d != 0 && (d != 1 || io->out_stride != 8)) {
            int64_t len = lr_batch_run_length(io, i, d);
            if (len >= LR_RUN_MIN && scratch == NULL) {
                scratch = malloc((size_t)span * 8);
            }
            int64_t got = len >= LR_RUN_MIN && scratch != NULL
                              ? lr_batch_arith(io, i, len, d, run, rdata, scratch, span)
                              : 0;
            i += got;
            plain_until = i + len - got;
            continue;
        }
        lr_index_t idx = lr_batch_index(io, i);
        char *out = io->out + i * io->out_stride;
        int can_run = !idx.neg && idx.mag <= UINT64_MAX - (uint64_t)k && i + 1 < count &&
                      lr_batch_is_next(io, i);
        if (can_run && run != NULL && io->out_stride == 8) {
            /* a long run into contiguous output: the sequence kernels fill it */
            int64_t len = 1;
            while (i + len < count && lr_batch_is_next(io, i + len - 1)) {
                len++;
            }
            if (len >= LR_RUN_MIN) {
                int64_t bad = 0;
                lr_status rs = run(rdata, idx, len, out, &bad);
                if (rs == LR_OK) {
                    i += len;
                    continue;
                }
                if (rs == LR_ERR_OVERFLOW) {
                    /* out[0..bad) hold exact terms; a[n + bad] is the first that does not fit */
                    io->failed_n = lr_index_from_u64(idx.mag + (uint64_t)bad);
                    st = rs;
                    break;
                }
                /* anything else: the general path below finds and names the failure */
            }
        }
        if (ring->careful) {
            /* floating point: plain O(k) steps could leave the double range unnoticed; short
             * runs take one careful jump per index */
            can_run = 0;
        }
        if (can_run) {
            /* window a[n..n+k-1] from exact single terms, then O(k) steps */
            int whole = 1;
            for (int64_t j = 0; j < k && whole; j++) {
                uint64_t u;
                lr_index_t nj = {0, idx.mag + (uint64_t)j};
                if (single(sdata, nj, &u) != LR_OK) {
                    whole = 0;
                }
                else {
                    ring->in(x, u, &win[j]);
                }
            }
            if (whole) {
                for (;;) {
                    uint64_t u = ring->out(x, &win[0]);
                    memcpy(io->out + i * io->out_stride, &u, 8);
                    i++;
                    if (i >= count || !lr_batch_is_next(io, i - 1) || ring->step(x, k, c, win)) {
                        break;
                    }
                }
                continue;
            }
        }
        uint64_t u;
        if (w && !idx.neg &&
            ring->table_term(x, k, c, init, w, nb, T, ok, idx.mag, r, t, &u) == 0) {
            memcpy(out, &u, 8);
            i++;
            continue;
        }
        st = single(sdata, idx, &u);
        if (st != LR_OK) {
            io->failed_n = idx;
            break;
        }
        memcpy(out, &u, 8);
        i++;
    }
    free(scratch);
    free(mem);
    return st;
}

/* ---- residues mod m ---------------------------------------------------------------------- */

static lr_status
lr_mod_run(void *data, lr_index_t start, int64_t count, char *out, int64_t *bad)
{
    const lr_mod_prepared *p = (const lr_mod_prepared *)data;
    return lr_run_sequence(LR_SEQ_MOD, p->k, p->c, p->init, p->ctx.m, start, count, out, bad);
}

lr_status
lr_terms_mod(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init, uint64_t m,
             lr_batch_t *b)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (m == 0) {
        return LR_ERR_MODULUS;
    }
    size_t wb = lr_work_bytes(method, k);
    void *work = wb ? malloc(wb) : NULL;
    if (work == NULL) {
        return wb ? LR_ERR_NOMEM : LR_ERR_ORDER;
    }
    lr_mod_prepared p;
    lr_mod_prepare(&p, method, k, c, init, m, work);
    lr_status st = LR_OK;
    lr_algo algo = lr_choose(method, LR_RING_MOD, k, &p.ctx, b->count);
    if (algo == LR_ALGO_ORDER2_MANY && !lr_order2_terms(c, init, m, b)) {
        /* declined (mostly consecutive indices, or negative ones it cannot serve) */
        algo = LR_ALGO_BATCH;
    }
    if (algo == LR_ALGO_BATCH) {
        lr_batch_ring ring;
        lr_batch_ring_mod(&ring);
        st = lr_batch_run(&ring, &p.ctx, k, p.cw, p.iw, b, lr_mod_single, &p, lr_mod_run, &p);
    }
    else if (algo == LR_ALGO_EACH) {
        st = lr_batch_each(b, lr_mod_single, &p);
    }
    free(work);
    return st;
}

/* ---- batches of int64 and float64 terms ------------------------------------------------ */

typedef struct {
    lr_method method;
    int64_t k;
    const void *c, *init;
    void *work;
    int is_float; /* float64, else int64 */
} lr_plain_prepared;

static lr_status
lr_plain_run(void *data, lr_index_t start, int64_t count, char *out, int64_t *bad)
{
    const lr_plain_prepared *p = (const lr_plain_prepared *)data;
    return lr_run_sequence(p->is_float ? LR_SEQ_F64 : LR_SEQ_I64, p->k, p->c, p->init, 0, start,
                           count, out, bad);
}

static lr_status
lr_plain_single(void *data, lr_index_t n, void *out)
{
    const lr_plain_prepared *p = (const lr_plain_prepared *)data;
    union {
        int64_t i;
        double f;
    } v = {0};
    lr_status st = p->is_float ? lr_term_f64(p->method, p->k, p->c, p->init, n, &v.f, p->work)
                               : lr_term_i64(p->method, p->k, p->c, p->init, n, &v.i, p->work);
    memcpy(out, &v, 8);
    return st;
}

/* One driver for both: allocate the workspace, then batch (AUTO) or one by one. */
static lr_status
lr_terms_plain(lr_method method, int64_t k, const void *c, const void *init, lr_batch_t *b,
               int is_float)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    size_t wb = lr_work_bytes(method, k);
    void *work = wb ? malloc(wb) : NULL;
    if (work == NULL) {
        return wb ? LR_ERR_NOMEM : LR_ERR_ORDER;
    }
    lr_plain_prepared p = {method, k, c, init, work, is_float};
    lr_noctx nx = {0};
    lr_status st = LR_OK;
    if (lr_choose(method, is_float ? LR_RING_F64 : LR_RING_I64, k, NULL, b->count) ==
        LR_ALGO_BATCH) {
        lr_batch_ring ring;
        if (is_float) {
            lr_batch_ring_f64(&ring);
        }
        else {
            lr_batch_ring_i64(&ring);
        }
        st = lr_batch_run(&ring, &nx, k, c, init, b, lr_plain_single, &p, lr_plain_run, &p);
    }
    else {
        st = lr_batch_each(b, lr_plain_single, &p);
    }
    free(work);
    return st;
}

lr_status
lr_terms_i64(lr_method method, int64_t k, const int64_t *c, const int64_t *init, lr_batch_t *b)
{
    return lr_terms_plain(method, k, c, init, b, 0);
}

lr_status
lr_terms_f64(lr_method method, int64_t k, const double *c, const double *init, lr_batch_t *b)
{
    return lr_terms_plain(method, k, c, init, b, 1);
}

/* uint64 coefficients and initial values: the int64 batch when they fit, each index on its
 * own (lr_term_u64, which certifies with an unsigned target) otherwise. */
lr_status
lr_terms_u64(lr_method method, int64_t k, const uint64_t *c, const uint64_t *init, lr_batch_t *b)
{
    if (k < 1) {
        return LR_ERR_ORDER;
    }
    if (lr_u64_fit_i64(k, c, init)) {
        /* the batched int64 engine (runs, power tables); an index it cannot fit in int64
         * may still fit uint64: then every index is redone below */
        lr_status st = lr_terms_i64(method, k, (const int64_t *)c, (const int64_t *)init, b);
        if (st == LR_OK) {
            for (int64_t t = 0; t < b->count; t++) {
                int64_t v;
                memcpy(&v, b->out + t * b->out_stride, sizeof v);
                if (v < 0) {
                    b->failed_n = lr_batch_index(b, t);
                    return LR_ERR_OVERFLOW;
                }
            }
            return LR_OK;
        }
        if (st != LR_ERR_OVERFLOW && st != LR_ERR_UNCERTIFIED) {
            return st;
        }
    }
    size_t wb = lr_work_bytes(method, k);
    void *work = wb ? malloc(wb) : NULL;
    if (work == NULL) {
        return wb ? LR_ERR_NOMEM : LR_ERR_ORDER;
    }
    lr_status st = LR_OK;
    for (int64_t t = 0; t < b->count && st == LR_OK; t++) {
        lr_index_t n = lr_batch_index(b, t);
        uint64_t v = 0;
        st = lr_term_u64(method, k, c, init, n, &v, work);
        if (st == LR_OK) {
            memcpy(b->out + t * b->out_stride, &v, sizeof v);
        }
        else {
            b->failed_n = n;
        }
    }
    free(work);
    return st;
}
