/*
 * Consecutive terms of a linear recurrence: a jump to the start (lr_term_* for the k window
 * terms) followed by tight stepping kernels that write a[j] = sum c[i] a[j-k+i] into a caller
 * buffer.  Plain C99 (plus unsigned __int128), no Python.h, no global state.
 *
 * Two layers:
 *   - range kernels lr_seq_fill_*: step an existing buffer forward (used by the iterator);
 *   - the driver lr_seq_t: windows for the whole output, then chunked stepping, so that the
 *     binding can look for signals between chunks.  Short recurrences (k <= 4) are split into
 *     up to four segments that are stepped interleaved: their dependency chains are
 *     independent, so the CPU overlaps them instead of waiting on one multiply chain.
 */
#ifndef LR_SEQUENCE_H
#define LR_SEQUENCE_H

#include <stddef.h>
#include <stdint.h>

#include "lr_core.h"
#include "lr_modarith.h"

/* Multiply-adds of one driver call between two signal checks of the binding (a few ms). */
#define LR_SEQ_CHUNK ((int64_t)1 << 22)

/* Most segments stepped side by side. */
#define LR_SEQ_MAX_SEGMENTS 4

/* Terms per block of the blocked modular kernel (even), and its largest order. */
#define LR_SEQ_BLOCK 64
#define LR_SEQ_BLOCK_MAX_K 16

typedef enum {
    LR_SEQ_I64 = 0, /* exact int64: the first term that does not fit is reported */
    LR_SEQ_F64 = 1, /* IEEE double */
    LR_SEQ_MOD = 2, /* residues mod m, 1 <= m < 2^64 */
} lr_seq_ring;

/* How the modular kernel reduces (chosen by lr_seq_mod_init from m and k). */
typedef enum {
    LR_SEQ_MOD_ONE = 0, /* m == 1: every term is 0 */
    LR_SEQ_MOD_LAZY = 1, /* odd m, k (m-1) < 2^64: one Montgomery reduction per term */
    LR_SEQ_MOD_MONT = 2, /* odd m: one Montgomery reduction per `group` products */
    LR_SEQ_MOD_POW2 = 3, /* m = 2^s: wrapping arithmetic and a mask */
    LR_SEQ_MOD_BARRETT = 4, /* other even m: one Barrett reduction per `group` products */
    LR_SEQ_MOD_MONT_WIDE = 5, /* odd m: 192-bit sum of all products, two reductions */
    LR_SEQ_MOD_BARRETT_WIDE = 6, /* even m: 192-bit sum of all products, two reductions */
    /* Coefficients taken as signed d[i] = c[i] or c[i] - m, with D = sum |d[i]| and
     * D m < 2^64: the sum of d[i] a[i] plus a bias is exact in 64 bits, in [0, D m]. */
    LR_SEQ_MOD_SMALL2 = 7, /* D <= 2: one conditional subtraction (Fibonacci) */
    LR_SEQ_MOD_SMALL4 = 8, /* D <= 4: two conditional subtractions (Tribonacci) */
    LR_SEQ_MOD_NARROW = 9, /* any such D (small m): one 64-bit Barrett reduction */
    LR_SEQ_MOD_ONES = 10, /* every c[i] == 1, k <= 4 (Fibonacci, Tribonacci): sums only */
} lr_seq_mod_kind;

/*
 * Modular stepping context.  Terms stay plain residues in [0, m) (so the output needs no
 * conversion); the coefficients are kept in Montgomery form, and a Montgomery reduction of
 * cw[i] * a = (c[i] R) a gives c[i] a mod m directly.
 */
typedef struct {
    lr_seq_mod_kind kind;
    int64_t k;
    uint64_t m;
    uint64_t minv; /* m^-1 mod 2^64 (odd m) */
    uint64_t mask; /* m - 1 (power-of-two m) */
    lr_u128 mu; /* floor((2^128 - 1) / m) (Barrett) */
    uint64_t mu64; /* floor((2^64 - 1) / m) (NARROW) */
    uint64_t bias; /* m times the sum of the negative |d[i]| (SMALL*, NARROW) */
    uint64_t r1, r2; /* 2^64 mod m and 2^128 mod m (Montgomery); 2^128 mod m (Barrett) */
    int64_t group; /* products whose 128-bit sum stays reducible in one step */
    const uint64_t *cw; /* k coefficients in the kernel's representation */
    /* Blocked kernel (NULL: none): a[n+k+j] = sum_i bt[i B + j] a[n+i] / 2^32 mod m for
     * j < B = LR_SEQ_BLOCK, the B terms of a block independent of each other. */
    const uint64_t *bt;
    uint64_t minv32; /* -m^-1 mod 2^32 (blocked kernel) */
} lr_seq_mod_t;

/*
 * Prepare ctx for coefficients c (plain residues in [0, m)), writing their kernel form into
 * cw (k slots, caller-owned, must outlive ctx).  Returns LR_ERR_MODULUS for m == 0.
 */
lr_status lr_seq_mod_init(lr_seq_mod_t *ctx, int64_t k, const uint64_t *c, uint64_t m,
                          uint64_t *cw);

/*
 * Switch ctx (from lr_seq_mod_init) to the blocked kernel when it has one for m and k (odd
 * m < 2^31 with k m < 2^32, k <= LR_SEQ_BLOCK_MAX_K, SSE2): fills tab, k * LR_SEQ_BLOCK
 * slots that must outlive ctx, and returns nonzero.  c: plain residues in [0, m).
 */
int lr_seq_mod_block(lr_seq_mod_t *ctx, const uint64_t *c, uint64_t *tab);

/*
 * Range kernels: for from <= j < to, a[j] = sum c[i] * a[j-k+i] (from >= k; a[from-k..from)
 * must hold exact terms).  lr_seq_fill_i64 stops at the first j whose true value does not fit
 * int64, stores it in *bad and returns LR_ERR_OVERFLOW (a[from..j) are written).
 */
lr_status lr_seq_fill_i64(int64_t k, const int64_t *c, int64_t *a, int64_t from, int64_t to,
                          int64_t *bad);
void lr_seq_fill_f64(int64_t k, const double *c, double *a, int64_t from, int64_t to);
void lr_seq_fill_mod(const lr_seq_mod_t *ctx, uint64_t *a, int64_t from, int64_t to);

/*
 * A whole window mod m: out[j] = a[n + j] mod m for j < w <= k and n >= 0, from one power
 * x^n mod the characteristic polynomial (O(k^2 log n)) and one multiplication by x per
 * further term, rather than k separate jumps.  c, init: plain residues in [0, m), m >= 1.
 *   work: 5k slots
 */
void lr_seq_window_mod(int64_t k, const uint64_t *c, const uint64_t *init, uint64_t n, uint64_t m,
                       int64_t w, uint64_t *out, uint64_t *work);

/* One int64 term: *out = sum c[i] a[i]; nonzero when the true value does not fit int64. */
int lr_seq_next_i64(int64_t k, const int64_t *c, const int64_t *a, int64_t *out);

/*
 * The same kernels over S interleaved segments (S == 1 or LR_SEQ_MAX_SEGMENTS): segment s
 * covers a[base[s] + j] for from <= j < to (lr_seq_kernels.c, for the driver).
 * lr_i64_run_any returns -1 when every term fits, else the first segment s with a term that
 * does not, its offset j in *bad.
 */
int lr_i64_run_any(int64_t k, int S, const int64_t *c, int64_t *a, const int64_t *base,
                   int64_t from, int64_t to, int64_t *bad);
void lr_mod_run_any(const lr_seq_mod_t *ctx, int S, uint64_t *a, const int64_t *base, int64_t from,
                    int64_t to);

/* n + off as an index; the caller keeps the sum within [-(2^64-1), 2^64-1]. */
lr_index_t lr_index_add(lr_index_t n, uint64_t off);

/* ---- driver ---------------------------------------------------------------------------- */

typedef struct {
    lr_seq_ring ring;
    int64_t k;
    int64_t count;
    void *out; /* count 8-byte terms */
    const void *c; /* int64 / double coefficients (I64, F64) */
    lr_seq_mod_t mod; /* MOD */
    int nseg;
    int64_t seg[LR_SEQ_MAX_SEGMENTS + 1]; /* segment s is out[seg[s] .. seg[s+1]) */
    int64_t len; /* seg[1] - seg[0]; the last segment may be longer */
    int64_t done; /* relative terms [0, done) of every segment are written */
    int finished;
    int verify; /* int64: windows of segments 1.. are residues mod 2^64 that
                                * the finished segment before each must confirm */
    /* window terms still to compute (one jump each), done first by lr_seq_step */
    const void *init; /* NULL: no windows pending */
    lr_method method;
    lr_index_t start;
    void *work;
    int wseg; /* next window term: segment wseg, offset wj */
    int64_t wj;
    const void *init0; /* a[0..k-1] as given to lr_seq_begin (NULL: none), for the
                                * careful float64 restart of a chunk */
} lr_seq_t;

/* Workspace bytes for lr_seq_begin (0: k too large, report LR_ERR_ORDER). */
size_t lr_seq_work_bytes(lr_method method, int64_t k);

/*
 * Plan the output a[start], ..., a[start+count-1] into out (the window terms are computed by
 * the first lr_seq_step calls, a few at a time when k is large).
 *   ring:  I64 (c, init int64), F64 (double), MOD (plain residues in [0, m))
 *   init:  a[0..k-1], or NULL when the caller already wrote a[start+j] into out[j] for
 *          j < min(k, count) (one segment then)
 *   start: index of out[0]; start + count - 1 must be a valid lr_index_t and, for negative
 *          start, -start <= 2^63
 *   work:  lr_seq_work_bytes(method, k) bytes, 16-byte aligned, live until the last step
 * On LR_ERR_OVERFLOW (I64), *bad is the offset j of the first term a[start+j] that does not
 * fit.  Other failures (BACKWARDS, UNCERTIFIED, ...) concern the window; *bad is set to the
 * offset the core was computing.
 */
lr_status lr_seq_begin(lr_seq_t *s, lr_seq_ring ring, lr_method method, int64_t k, const void *c,
                       const void *init, uint64_t m, lr_index_t start, int64_t count, void *out,
                       void *work, int64_t *bad);

/*
 * Do about `budget` multiply-adds of work (everything when budget <= 0): pending window
 * terms first, then stepping.  s->finished is set when the output is complete.  On
 * LR_ERR_OVERFLOW, *bad is the offset of the first term (in the whole output) whose true
 * value does not fit int64; window failures are reported as by lr_seq_begin.
 */
lr_status lr_seq_step(lr_seq_t *s, int64_t budget, int64_t *bad);

#endif /* LR_SEQUENCE_H */
