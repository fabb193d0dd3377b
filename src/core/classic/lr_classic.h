/*
 * Classical Lucas sequences and primality tests (plain C99 + unsigned __int128, no Python.h).
 *
 *   U_0 = 0, U_1 = 1, V_0 = 2, V_1 = P,  X_n = P X_{n-1} - Q X_{n-2}
 *
 * Fibonacci is U(1, -1), the Lucas numbers are V(1, -1).  Every entry point is reentrant and
 * keeps no global state.
 */
#ifndef LR_CLASSIC_H
#define LR_CLASSIC_H

#include <stddef.h>
#include <stdint.h>

#include "lr_core.h"
#include "lr_modarith.h"

/* Which of U_n and V_n a caller needs (a value that is not wanted may overflow freely). */
#define LR_WANT_U 1
#define LR_WANT_V 2

/* Largest |n| with F_n, and with L_n, in int64 (F_92, L_90; F_{-n} = (-1)^(n+1) F_n). */
#define LR_FIB_MAX_I64 92
#define LR_LUC_MAX_I64 90

/*
 * Exact U_n(P, Q) and/or V_n(P, Q) as int64.
 *   want: LR_WANT_U and/or LR_WANT_V; only wanted outputs are written.
 *   n:    negative only for Q = +-1 (U_{-n} = -Q^n U_n, V_{-n} = Q^n V_n), else
 *         LR_ERR_BACKWARDS.
 * Returns LR_ERR_OVERFLOW only when a wanted true value does not fit int64 (proven by a
 * residue that no int64 can have); LR_ERR_UNCERTIFIED in the (never observed) case of a
 * non-degenerate sequence whose residues look like an int64 but whose magnitude bound is too
 * large to prove it.
 */
lr_status lr_lucas_uv_i64(int64_t P, int64_t Q, lr_index_t n, int want, int64_t *u,
                          int64_t *v);

/*
 * Tables F[0..LR_FIB_MAX_I64] and L[0..LR_LUC_MAX_I64] of the Fibonacci and Lucas numbers,
 * for loops over many indices (filled by recurrence; cheap).
 */
void lr_fib_luc_tables(int64_t *fib, int64_t *luc);

/*
 * U_n mod m and V_n mod m for any 1 <= m < 2^64 (results in [0, m); everything is 0 for
 * m == 1).  P and Q are residues in [0, m).  Negative n needs gcd(Q, m) == 1
 * (LR_ERR_BACKWARDS otherwise).  want as above (both outputs are always written).
 */
lr_status lr_lucas_uv_mod(uint64_t P, uint64_t Q, lr_index_t n, uint64_t m, int want,
                          uint64_t *u, uint64_t *v);

/* One term for lr_lucas_uv_mod_many: inputs P, Q (residues mod m), n, m; outputs u, v, st. */
typedef struct {
    uint64_t P, Q;
    lr_index_t n;
    uint64_t m;
    uint64_t u, v;
    lr_status st;
} lr_uvm_item;

/* lr_lucas_uv_mod for many terms at once (independent chains interleaved: faster). */
void lr_lucas_uv_mod_many(size_t count, lr_uvm_item *items);

/* U_n and V_n modulo 2^64 (two's complement wrap), n >= 0. */
void lr_lucas_uv_wrap(uint64_t P, uint64_t Q, uint64_t n, int want, uint64_t *u, uint64_t *v);

/* ---- primality (lr_primality.c) --------------------------------------------------------- */

/* Deterministic primality of n < 2^64: trial division, then Baillie-PSW (strong base-2
 * Miller-Rabin and the strong Lucas test with Selfridge's parameters). */
int lr_is_prime_u64(uint64_t n);

/* Strong Lucas probable-prime test with Selfridge's method A parameters: D is the first of
 * 5, -7, 9, -11, ... with Jacobi(D/n) = -1, P = 1, Q = (1 - D)/4.  False for 0, 1, even
 * n > 2 and perfect squares; true for 2. */
int lr_is_strong_lucas_prp_u64(uint64_t n);

/* Strong probable prime to base a (Miller-Rabin round), n odd >= 3 (false otherwise, except
 * true for n == 2).  a is reduced mod n; a == 0 mod n counts as passing. */
int lr_is_strong_prp_u64(uint64_t n, uint64_t a);

/*
 * Many n at once (the ufunc loops): out[i*os] = is_prime(in[i*is]) as 0/1 bytes.  Inputs are
 * uint64, or int64 when is_signed (negative numbers are not prime).  Batches the expensive
 * tests of several n so that their independent multiplications overlap.
 */
void lr_is_prime_u64_many(size_t count, const char *in, ptrdiff_t is, int is_signed,
                          char *out, ptrdiff_t os);

/* lr_is_strong_lucas_prp_u64 for many n (same conventions as lr_is_prime_u64_many). */
void lr_is_strong_lucas_prp_u64_many(size_t count, const char *in, ptrdiff_t is,
                                     int is_signed, char *out, ptrdiff_t os);

/* Jacobi symbol (a/n) for odd n >= 1. */
int lr_jacobi_u64(uint64_t a, uint64_t n);

/* ---- internal inline helpers shared by lr_lucas_uv.c and lr_primality.c ---------------- */

#if defined(__GNUC__) || defined(__clang__)
#define LR_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define LR_ALWAYS_INLINE inline
#endif

/*
 * Conditions that depend on the data (bits of a random index, carries of random residues)
 * mispredict half the time as branches, and compilers do not reliably turn ternaries into
 * conditional moves.  lr_sel_lt(p, q, x, y) = p < q ? x : y is a cmp + cmov on x86-64 with
 * GCC or Clang, and mask arithmetic elsewhere.
 */
static inline uint64_t
lr_sel_lt(uint64_t p, uint64_t q, uint64_t x, uint64_t y)
{
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
    __asm__("cmpq %2, %1\n\tcmovbq %3, %0" : "+r"(y) : "r"(p), "r"(q), "r"(x) : "cc");
    return y;
#else
    uint64_t mask = 0u - (uint64_t)(p < q);
    return (x & mask) | (y & ~mask);
#endif
}

/* b ? x : y for b in {0, 1} */
static inline uint64_t
lr_sel(uint64_t b, uint64_t x, uint64_t y)
{
    return lr_sel_lt(0, b, x, y);
}

/* Modular sum and difference of residues a, b < m, branch-free. */
static inline uint64_t
lr_addmod_nb(uint64_t a, uint64_t b, uint64_t m)
{
    uint64_t c = m - b;   /* a + b >= m  iff  a >= m - b (no 64-bit carry to care about) */
    return lr_sel_lt(a, c, a + b, a - c);
}

static inline uint64_t
lr_submod_nb(uint64_t a, uint64_t b, uint64_t m)
{
    uint64_t d = a - b;
    return lr_sel_lt(a, b, d + m, d);
}

/* Montgomery reduction t / 2^64 mod m for t < m 2^64 (as lr_mont_redc, with a conditional
 * move for the final correction). */
static inline uint64_t
lr_redc_nb(unsigned __int128 t, uint64_t m, uint64_t minv)
{
    uint64_t q = (uint64_t)t * minv;
    uint64_t h = (uint64_t)(((unsigned __int128)q * m) >> 64), th = (uint64_t)(t >> 64);
    uint64_t d = th - h;
    return lr_sel_lt(th, h, d + m, d);
}

/* Montgomery product a b / 2^64 mod m, branch-free. */
static inline uint64_t
lr_mmul(uint64_t a, uint64_t b, uint64_t m, uint64_t minv)
{
    return lr_redc_nb((unsigned __int128)a * b, m, minv);
}

/* ---- rings: Montgomery modulo an odd o > 1 (wrap == 0), or Z / 2^64 (wrap != 0) ---------- */

typedef struct {
    lr_mod_t mod;   /* the odd modulus (unused when wrap) */
    int wrap;
} lr_ring_t;

static inline uint64_t
lr_r_mul(const lr_ring_t *r, uint64_t a, uint64_t b)
{
    return r->wrap ? a * b : lr_mmul(a, b, r->mod.m, r->mod.minv);
}

static inline uint64_t
lr_r_add(const lr_ring_t *r, uint64_t a, uint64_t b)
{
    return r->wrap ? a + b : lr_addmod_nb(a, b, r->mod.m);
}

static inline uint64_t
lr_r_sub(const lr_ring_t *r, uint64_t a, uint64_t b)
{
    return r->wrap ? a - b : lr_submod_nb(a, b, r->mod.m);
}

static inline uint64_t
lr_r_neg(const lr_ring_t *r, uint64_t a)
{
    return r->wrap ? 0u - a : lr_mod_neg(&r->mod, a);
}

static inline uint64_t
lr_r_one(const lr_ring_t *r)
{
    return r->wrap ? 1u : r->mod.one;
}

/* plain residue (already reduced for Montgomery rings) -> ring element */
static inline uint64_t
lr_r_to(const lr_ring_t *r, uint64_t a)
{
    return r->wrap ? a : lr_mod_to(&r->mod, a);
}

static inline uint64_t
lr_r_from(const lr_ring_t *r, uint64_t a)
{
    return r->wrap ? a : lr_mod_from(&r->mod, a);
}

/* Inverse of an odd a modulo 2^64 (Newton: every step doubles the correct low bits). */
static inline uint64_t
lr_inv_2_64(uint64_t a)
{
    uint64_t x = (3u * a) ^ 2u;   /* correct to 5 bits */
    for (int i = 0; i < 4; i++) {
        x *= 2u - a * x;
    }
    return x;
}

static inline int
lr_top_bit(uint64_t n)
{
    return n == 0 ? -1 : 63 - __builtin_clzll(n);
}

/* b^e for b in Montgomery form modulo the odd x->m; the result in Montgomery form. */
static inline uint64_t
lr_mont_pow(const lr_mod_t *x, uint64_t b, uint64_t e)
{
    uint64_t r = x->one;
    while (e) {
        if (e & 1u) {
            r = lr_mmul(r, b, x->m, x->minv);
        }
        b = lr_mmul(b, b, x->m, x->minv);
        e >>= 1;
    }
    return r;
}

/*
 * The Lucas chain for V: *vn = V_n, *vn1 = V_n+1, *qn = Q^n (ring elements; n >= 0).
 * qsign: +1 when Q == 1, -1 when Q == -1 (then Q^k is a sign: two products per bit),
 * 0 otherwise.  Branch-free; the state (V_k, V_k+1, Q^k, Q^k+1) makes every bit one
 * product deep:
 *     V_2k = V_k^2 - 2 Q^k,  V_2k+1 = V_k V_k+1 - P Q^k,  V_2k+2 = V_k+1^2 - 2 Q^k+1,
 *     Q^2k = (Q^k)^2,  Q^2k+1 = Q^k Q^k+1,  Q^2k+2 = (Q^k+1)^2.
 */
static LR_ALWAYS_INLINE void
lr_v_chain(const lr_ring_t *r, uint64_t P, uint64_t Q, int qsign, uint64_t n, uint64_t *vn,
           uint64_t *vn1, uint64_t *qn)
{
    const uint64_t one = lr_r_one(r), two = lr_r_add(r, one, one);
    uint64_t vl = two, vh = P;
    if (qsign != 0) {
        /* Q^k = qsign^k: only the parity of k matters */
        const uint64_t mtwo = lr_r_neg(r, two), mP = lr_r_neg(r, P);
        const uint64_t qneg = qsign < 0;
        uint64_t kodd = 0;
        for (int b = lr_top_bit(n); b >= 0; b--) {
            const uint64_t bit = (n >> b) & 1u;
            const uint64_t x = lr_sel(bit, vh, vl);
            /* Q^(k+bit) = -1 iff Q = -1 and k + bit odd */
            const uint64_t tq = lr_sel(qneg & (kodd ^ bit), mtwo, two);
            const uint64_t vm = lr_r_sub(r, lr_r_mul(r, vl, vh), lr_sel(qneg & kodd, mP, P));
            const uint64_t sq = lr_r_sub(r, lr_r_mul(r, x, x), tq);
            vl = lr_sel(bit, vm, sq);
            vh = lr_sel(bit, sq, vm);
            kodd = bit;
        }
        *qn = (qsign < 0 && (n & 1u)) ? lr_r_neg(r, one) : one;
    }
    else {
        const int pone = P == one;   /* Selfridge's P = 1 saves a product per bit */
        uint64_t qk = one, qk1 = Q;
        for (int b = lr_top_bit(n); b >= 0; b--) {
            const uint64_t bit = (n >> b) & 1u;
            const uint64_t x = lr_sel(bit, vh, vl);
            const uint64_t qx = lr_sel(bit, qk1, qk);
            const uint64_t pq = pone ? qk : lr_r_mul(r, P, qk);
            const uint64_t vm = lr_r_sub(r, lr_r_mul(r, vl, vh), pq);
            const uint64_t sq = lr_r_sub(r, lr_r_mul(r, x, x), lr_r_add(r, qx, qx));
            const uint64_t qm = lr_r_mul(r, qk, qk1);
            const uint64_t qs = lr_r_mul(r, qx, qx);
            vl = lr_sel(bit, vm, sq);
            vh = lr_sel(bit, sq, vm);
            qk = lr_sel(bit, qm, qs);
            qk1 = lr_sel(bit, qs, qm);
        }
        *qn = qk;
    }
    *vn = vl;
    *vn1 = vh;
}

#endif /* LR_CLASSIC_H */
