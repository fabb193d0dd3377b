/*
 * Lucas sequences U_n(P, Q), V_n(P, Q): exact int64 values and residues modulo any m < 2^64.
 *
 * Modular path: m = 2^e * o with o odd.  Modulo o the arithmetic is Montgomery (no division
 * in the loop), modulo 2^e it is plain uint64 wrap-around; the two residues are joined by
 * the Chinese remainder theorem.  In each ring V comes from the Lucas chain
 *     V_2k = V_k^2 - 2 Q^k,   V_2k+1 = V_k V_k+1 - P Q^k
 * (two products per bit when Q = +-1, four and a half in general), and U from
 * D U_n = 2 V_n+1 - P V_n when D = P^2 - 4Q is invertible; otherwise U comes from doubling
 * the pair (U_k, U_k+1), which needs no division at all.
 *
 * Exact path: degenerate sequences (Q = 0, D = 0, or alpha/beta a root of unity: P = 0,
 * P^2 = Q, 2Q, 3Q) have closed forms, so huge n with small results (U_n(0, 5) = 0 for even
 * n) are exact.  Otherwise the pair doubling runs on 128-bit integers while they stay below
 * 2^125; if they do not, the true value is decided from residues: U_n mod 2^64 names the only
 * int64 candidate, and a residue modulo a 62-bit prime that disagrees with it proves the
 * overflow, while agreement modulo enough primes for the magnitude bound proves the value.
 */
#include "lr_classic.h"

#include <math.h>

#include "lr_modarith.h"

typedef __int128 lr_i128;

/*
 * Doubling on (U_k, U_k+1), division-free, for rings where D is not invertible:
 *     U_2k = U_k (2 U_k+1 - P U_k),  U_2k+1 = U_k+1^2 - Q U_k^2,
 *     U_2k+2 = U_k+1 (P U_k+1 - 2 Q U_k).
 */
static LR_ALWAYS_INLINE void
lr_u_pair(const lr_ring_t *r, uint64_t P, uint64_t Q, uint64_t n, uint64_t *un, uint64_t *un1)
{
    uint64_t ua = 0, ub = lr_r_one(r);
    for (int b = lr_top_bit(n); b >= 0; b--) {
        const uint64_t bit = (n >> b) & 1u;
        const uint64_t a2 = lr_r_mul(r, ua, ua), b2 = lr_r_mul(r, ub, ub);
        const uint64_t odd = lr_r_sub(r, b2, lr_r_mul(r, Q, a2));
        /* even step U_x (2 U_y - P U_x) with x = k, y = k+1, or the step to 2k+2,
         * U_k+1 (P U_k+1 - 2 Q U_k): both are "s * (c - d)" */
        const uint64_t qa = lr_r_mul(r, Q, ua);
        const uint64_t pb = lr_r_mul(r, P, lr_sel(bit, ub, ua));
        const uint64_t c = lr_sel(bit, pb, lr_r_add(r, ub, ub));
        const uint64_t d = lr_sel(bit, lr_r_add(r, qa, qa), pb);
        const uint64_t other = lr_r_mul(r, lr_sel(bit, ub, ua), lr_r_sub(r, c, d));
        ua = lr_sel(bit, odd, other);
        ub = lr_sel(bit, other, odd);
    }
    *un = ua;
    *un1 = ub;
}

/* U_n and V_n (plain residues) in one ring.  P, Q plain residues (reduced).  Inlined into
 * one caller per kind of ring, so that r->wrap is a constant there. */
static LR_ALWAYS_INLINE void
lr_uv_in_ring(const lr_ring_t *r, uint64_t P, uint64_t Q, uint64_t n, int want, uint64_t *u,
              uint64_t *v)
{
    const uint64_t one = lr_r_one(r);
    uint64_t Pr = lr_r_to(r, P), Qr = lr_r_to(r, Q);
    int qsign = Qr == one ? 1 : (Qr == lr_r_neg(r, one) ? -1 : 0);
    /* D = P^2 - 4Q and its inverse, when it has one */
    uint64_t q2 = lr_r_add(r, Qr, Qr);
    uint64_t Dr = lr_r_sub(r, lr_r_mul(r, Pr, Pr), lr_r_add(r, q2, q2));
    uint64_t Dp = lr_r_from(r, Dr), Dinv = 0;
    int dinv_ok;
    if (r->wrap) {
        dinv_ok = (int)(Dp & 1u);
        if (dinv_ok) {
            Dinv = lr_inv_2_64(Dp);
        }
    }
    else {
        dinv_ok = lr_mod_inverse_plain(Dp, r->mod.m, &Dinv);
        if (dinv_ok) {
            Dinv = lr_r_to(r, Dinv);
        }
    }
    *u = *v = 0;
    if ((want & LR_WANT_U) && !dinv_ok) {
        uint64_t un, un1;
        lr_u_pair(r, Pr, Qr, n, &un, &un1);
        *u = lr_r_from(r, un);
        if (want & LR_WANT_V) {
            /* V_n = 2 U_n+1 - P U_n */
            *v = lr_r_from(r, lr_r_sub(r, lr_r_add(r, un1, un1), lr_r_mul(r, Pr, un)));
        }
        return;
    }
    uint64_t vn, vn1, qn;
    lr_v_chain(r, Pr, Qr, qsign, n, &vn, &vn1, &qn);
    *v = lr_r_from(r, vn);
    if (want & LR_WANT_U) {
        uint64_t t = lr_r_sub(r, lr_r_add(r, vn1, vn1), lr_r_mul(r, Pr, vn));
        *u = lr_r_from(r, lr_r_mul(r, t, Dinv));
    }
}

void
lr_lucas_uv_wrap(uint64_t P, uint64_t Q, uint64_t n, int want, uint64_t *u, uint64_t *v)
{
    lr_ring_t r = {0};   /* the modulus fields are unused when wrapping */
    r.wrap = 1;
    lr_uv_in_ring(&r, P, Q, n, want, u, v);
}

/*
 * U_n, V_n modulo 2^e (1 <= e <= 63; low e bits of *u, *v; the rest is garbage) after
 * shortening n with the period of the sequence modulo 2^e:
 *   Q odd:        the matrix [[P, -Q], [1, 0]] is invertible mod 2, of order 1, 2 or 3
 *                 there, and I + 2A has order dividing 2^(e-1) mod 2^e: period | 3 2^e;
 *   P odd, Q even: D = 1 mod 8 is a 2-adic square, the roots are a unit and an even
 *                 number b, and b^n = 0 mod 2^e for n >= e: from there on the terms only
 *                 depend on n mod 2^e (the units mod 2^e have exponent dividing 2^e);
 *   P, Q even:    both roots have 2-adic valuation >= 1/2: U_n = V_n = 0 mod 2^e once
 *                 n >= 2e + 1.
 */
static void
lr_lucas_uv_pow2(uint64_t P, uint64_t Q, uint64_t n, int e, int want, uint64_t *u,
                 uint64_t *v)
{
    if (e <= 60) {
        const uint64_t pe = (uint64_t)1 << e;
        if (Q & 1u) {
            n %= 3 * pe;
        }
        else if (P & 1u) {
            if (n >= (uint64_t)e) {
                n = (uint64_t)e + (n - (uint64_t)e) % pe;
            }
        }
        else if (n >= 2 * (uint64_t)e + 1) {
            *u = *v = 0;
            return;
        }
    }
    lr_lucas_uv_wrap(P, Q, n, want, u, v);
}

/* The same modulo an odd o > 1 (Montgomery). */
static void
lr_lucas_uv_odd(uint64_t P, uint64_t Q, uint64_t n, uint64_t o, int want, uint64_t *u,
                uint64_t *v)
{
    lr_ring_t r;
    r.wrap = 0;
    lr_mod_init(&r.mod, o);
    lr_uv_in_ring(&r, P, Q, n, want, u, v);
}

/* a^e mod m for any m >= 2 (not hot: negative indices only). */
static uint64_t
lr_powmod(uint64_t a, uint64_t e, uint64_t m)
{
    lr_mod_t c;
    lr_mod_init(&c, m);
    uint64_t x = c.one, b = lr_mod_to(&c, a);
    while (e != 0) {
        if (e & 1u) {
            x = lr_mod_mul(&c, x, b);
        }
        b = lr_mod_mul(&c, b, b);
        e >>= 1;
    }
    return lr_mod_from(&c, x);
}

static inline uint64_t
lr_mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((lr_u128)a * b) % m);
}

lr_status
lr_lucas_uv_mod(uint64_t P, uint64_t Q, lr_index_t n, uint64_t m, int want, uint64_t *u,
                uint64_t *v)
{
    *u = *v = 0;
    if (m == 0) {
        return LR_ERR_MODULUS;
    }
    if (m == 1) {
        return LR_OK;
    }
    P %= m;
    Q %= m;
    uint64_t qinv = 0;
    if (n.neg && !lr_mod_inverse_plain(Q, m, &qinv)) {
        return LR_ERR_BACKWARDS;
    }
    const int e = __builtin_ctzll(m);
    const uint64_t o = m >> e;
    uint64_t uo = 0, vo = 0, ue = 0, ve = 0;
    if (o > 1) {
        lr_lucas_uv_odd(P % o, Q % o, n.mag, o, want, &uo, &vo);
    }
    if (e > 0) {
        lr_lucas_uv_pow2(P, Q, n.mag, e, want, &ue, &ve);
    }
    uint64_t U, V;
    if (e == 0) {
        U = uo;
        V = vo;
    }
    else {
        /* x = x_o + o * ((x_e - x_o) / o mod 2^e): below o * 2^e = m */
        const uint64_t mask = e == 64 ? ~(uint64_t)0 : (((uint64_t)1 << e) - 1u);
        const uint64_t oinv = lr_inv_2_64(o);
        U = uo + o * (((ue - uo) * oinv) & mask);
        V = vo + o * (((ve - vo) * oinv) & mask);
    }
    if (n.neg) {
        /* U_-n = -Q^-n U_n,  V_-n = Q^-n V_n */
        uint64_t s = lr_powmod(qinv, n.mag, m);
        U = lr_mulmod(U, s, m);
        U = U == 0 ? 0 : m - U;
        V = lr_mulmod(V, s, m);
    }
    *u = U;
    *v = V;
    return LR_OK;
}

/* ---- many terms at once ------------------------------------------------------------------- */

/*
 * A single Lucas chain waits on its own products (every bit depends on the previous one);
 * LR_UV_LANES independent terms advanced side by side keep the multiplier busy.  The lanes
 * work modulo the odd part o of m; the 2^e part (cheap wrap-around arithmetic) and the CRT
 * join stay per term.
 */
#define LR_UV_LANES 4

typedef struct {
    uint64_t o, minv, one;   /* odd modulus > 1, -o^-1 mod 2^64 ... (lr_mod_t fields) */
    uint64_t P, Q, Dinv;     /* Montgomery forms; Dinv only for the V kinds */
    uint64_t n;
    int qneg;                /* Q = -1 (sign kind only; Q = 1 otherwise) */
    size_t item;             /* index into the caller's items */
    int e;                   /* m = 2^e o */
    uint64_t ue, ve;         /* U_n, V_n mod 2^64 when e > 0 */
    uint64_t x0, x1;         /* results: V_n, V_n+1 (V kinds) or U_n, U_n+1 (U kind) */
    /* kind T: the chain runs on e = n >> 1 with P' = P^2/Q - 2 and Q' = 1 (P holds P');
     * x2 = Q^(e-1) from a 4-bit window table of Q */
    uint64_t x2, P0, Q0;     /* the original P and Q (Montgomery) */
} lr_uv_lane_t;

enum { LR_KIND_SIGN = 0, LR_KIND_V = 1, LR_KIND_U = 2, LR_KIND_T = 3, LR_NKINDS = 4 };

/* The lane kernels below advance nl <= LR_UV_LANES lanes, so that a short last queue does
 * only its own work instead of repeating a lane.  Kept out of line: inlined copies for a
 * constant nl made the full queues slower (code size). */
#if defined(__GNUC__)
#define LR_LANES_FN static __attribute__((noinline))
#else
#define LR_LANES_FN static
#endif

static int
lr_lanes_top(lr_uv_lane_t *const *L, int nl, uint64_t *dd)
{
    int top = 0;
    for (int j = 0; j < nl; j++) {
        int t = lr_top_bit(L[j]->n);
        top = t > top ? t : top;
    }
    for (int j = 0; j < nl; j++) {
        dd[j] = L[j]->n << (63 - top);   /* the current bit is the sign bit */
    }
    return top;
}

/* Q = +-1: two products per bit (see lr_v_chain). */
LR_LANES_FN void
lr_lanes_sign(lr_uv_lane_t *const *L, int nl)
{
    uint64_t o[LR_UV_LANES], mi[LR_UV_LANES], P[LR_UV_LANES], mP[LR_UV_LANES];
    uint64_t two[LR_UV_LANES], mtwo[LR_UV_LANES], vl[LR_UV_LANES], vh[LR_UV_LANES];
    uint64_t dd[LR_UV_LANES], kodd[LR_UV_LANES], qneg[LR_UV_LANES];
    for (int j = 0; j < nl; j++) {
        o[j] = L[j]->o;
        mi[j] = L[j]->minv;
        P[j] = L[j]->P;
        mP[j] = lr_submod_nb(0, P[j], o[j]);
        two[j] = lr_addmod_nb(L[j]->one, L[j]->one, o[j]);
        mtwo[j] = lr_submod_nb(0, two[j], o[j]);
        vl[j] = two[j];
        vh[j] = P[j];
        kodd[j] = 0;
        qneg[j] = (uint64_t)L[j]->qneg;
    }
    for (int b = lr_lanes_top(L, nl, dd); b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = o[j];
            const uint64_t x = lr_sel(bit, vh[j], vl[j]);
            const uint64_t pq = lr_sel(qneg[j] & kodd[j], mP[j], P[j]);
            const uint64_t tq = lr_sel(qneg[j] & (kodd[j] ^ bit), mtwo[j], two[j]);
            const uint64_t vm = lr_submod_nb(lr_mmul(vl[j], vh[j], oj, mi[j]), pq, oj);
            const uint64_t sq = lr_submod_nb(lr_mmul(x, x, oj, mi[j]), tq, oj);
            vl[j] = lr_sel(bit, vm, sq);
            vh[j] = lr_sel(bit, sq, vm);
            kodd[j] = bit;
            dd[j] += dd[j];
        }
    }
    for (int j = 0; j < nl; j++) {
        L[j]->x0 = vl[j];
        L[j]->x1 = vh[j];
    }
}

/* Any Q: state V_k, V_k+1, Q^k, Q^k+1 (see lr_v_chain), five products per bit. */
LR_LANES_FN void
lr_lanes_v(lr_uv_lane_t *const *L, int nl)
{
    uint64_t o[LR_UV_LANES], mi[LR_UV_LANES], P[LR_UV_LANES], vl[LR_UV_LANES];
    uint64_t vh[LR_UV_LANES], qk[LR_UV_LANES], qk1[LR_UV_LANES], dd[LR_UV_LANES];
    for (int j = 0; j < nl; j++) {
        o[j] = L[j]->o;
        mi[j] = L[j]->minv;
        P[j] = L[j]->P;
        vl[j] = lr_addmod_nb(L[j]->one, L[j]->one, o[j]);
        vh[j] = P[j];
        qk[j] = L[j]->one;
        qk1[j] = L[j]->Q;
    }
    for (int b = lr_lanes_top(L, nl, dd); b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = o[j], m = mi[j];
            const uint64_t x = lr_sel(bit, vh[j], vl[j]);
            const uint64_t qx = lr_sel(bit, qk1[j], qk[j]);
            const uint64_t pq = lr_mmul(P[j], qk[j], oj, m);
            const uint64_t vm = lr_submod_nb(lr_mmul(vl[j], vh[j], oj, m), pq, oj);
            const uint64_t sq = lr_submod_nb(lr_mmul(x, x, oj, m),
                                             lr_addmod_nb(qx, qx, oj), oj);
            const uint64_t qm = lr_mmul(qk[j], qk1[j], oj, m);
            const uint64_t qs = lr_mmul(qx, qx, oj, m);
            vl[j] = lr_sel(bit, vm, sq);
            vh[j] = lr_sel(bit, sq, vm);
            qk[j] = lr_sel(bit, qm, qs);
            qk1[j] = lr_sel(bit, qs, qm);
            dd[j] += dd[j];
        }
    }
    for (int j = 0; j < nl; j++) {
        L[j]->x0 = vl[j];
        L[j]->x1 = vh[j];
    }
}

/* D not invertible: the division-free pair doubling of lr_u_pair. */
LR_LANES_FN void
lr_lanes_u(lr_uv_lane_t *const *L, int nl)
{
    uint64_t o[LR_UV_LANES], mi[LR_UV_LANES], P[LR_UV_LANES], Q[LR_UV_LANES];
    uint64_t ua[LR_UV_LANES], ub[LR_UV_LANES], dd[LR_UV_LANES];
    for (int j = 0; j < nl; j++) {
        o[j] = L[j]->o;
        mi[j] = L[j]->minv;
        P[j] = L[j]->P;
        Q[j] = L[j]->Q;
        ua[j] = 0;
        ub[j] = L[j]->one;
    }
    for (int b = lr_lanes_top(L, nl, dd); b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = o[j], m = mi[j];
            const uint64_t a2 = lr_mmul(ua[j], ua[j], oj, m);
            const uint64_t b2 = lr_mmul(ub[j], ub[j], oj, m);
            const uint64_t odd = lr_submod_nb(b2, lr_mmul(Q[j], a2, oj, m), oj);
            const uint64_t qa = lr_mmul(Q[j], ua[j], oj, m);
            const uint64_t pb = lr_mmul(P[j], lr_sel(bit, ub[j], ua[j]), oj, m);
            const uint64_t c = lr_sel(bit, pb, lr_addmod_nb(ub[j], ub[j], oj));
            const uint64_t d = lr_sel(bit, lr_addmod_nb(qa, qa, oj), pb);
            const uint64_t other = lr_mmul(lr_sel(bit, ub[j], ua[j]),
                                               lr_submod_nb(c, d, oj), oj, m);
            ua[j] = lr_sel(bit, odd, other);
            ub[j] = lr_sel(bit, other, odd);
            dd[j] += dd[j];
        }
    }
    for (int j = 0; j < nl; j++) {
        L[j]->x0 = ua[j];
        L[j]->x1 = ub[j];
    }
}

/*
 * Kind T: V'_e, V'_e+1 of the sequence with (P', 1) (two products per bit, Q' = 1 needs no
 * powers of Q) next to Q^(e-1) by a fixed 4-bit window (one square per bit, one product
 * per 4 bits), the exponents aligned at the same top bit.
 */
LR_LANES_FN void
lr_lanes_t(lr_uv_lane_t *const *L, int nl)
{
    uint64_t o[LR_UV_LANES], mi[LR_UV_LANES], P[LR_UV_LANES], two[LR_UV_LANES];
    uint64_t vl[LR_UV_LANES], vh[LR_UV_LANES], dd[LR_UV_LANES], ff[LR_UV_LANES];
    uint64_t acc[LR_UV_LANES], tab[LR_UV_LANES][16];
    int top = 0;
    for (int j = 0; j < nl; j++) {
        o[j] = L[j]->o;
        mi[j] = L[j]->minv;
        P[j] = L[j]->P;
        two[j] = lr_addmod_nb(L[j]->one, L[j]->one, o[j]);
        vl[j] = two[j];
        vh[j] = P[j];
        acc[j] = L[j]->one;
        tab[j][0] = L[j]->one;
        for (int w = 1; w < 16; w++) {
            tab[j][w] = lr_mmul(tab[j][w - 1], L[j]->Q0, o[j], mi[j]);
        }
        int t = lr_top_bit(L[j]->n >> 1);
        top = t > top ? t : top;
    }
    top |= 3;   /* start at a window boundary: bits above the top are zeros */
    for (int j = 0; j < nl; j++) {
        const uint64_t e = L[j]->n >> 1;
        dd[j] = top >= 64 ? 0 : e << (63 - top);
        ff[j] = e - 1;   /* e >= 1 for this kind */
    }
    for (int b = top; b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = o[j], m = mi[j];
            const uint64_t x = lr_sel(bit, vh[j], vl[j]);
            const uint64_t vm = lr_submod_nb(lr_mmul(vl[j], vh[j], oj, m), P[j], oj);
            const uint64_t sq = lr_submod_nb(lr_mmul(x, x, oj, m), two[j], oj);
            vl[j] = lr_sel(bit, vm, sq);
            vh[j] = lr_sel(bit, sq, vm);
            dd[j] += dd[j];
        }
        for (int j = 0; j < nl; j++) {
            acc[j] = lr_mmul(acc[j], acc[j], o[j], mi[j]);
        }
        if ((b & 3) == 0) {   /* the same for every lane: no misprediction */
            for (int j = 0; j < nl; j++) {
                acc[j] = lr_mmul(acc[j], tab[j][(ff[j] >> b) & 15u], o[j], mi[j]);
            }
        }
    }
    for (int j = 0; j < nl; j++) {
        L[j]->x0 = vl[j];
        L[j]->x1 = vh[j];
        L[j]->x2 = acc[j];
    }
}

/* Run one queue and finish its terms. */
static void
lr_lanes_flush(int kind, lr_uv_lane_t *q, int count, lr_uvm_item *items)
{
    lr_uv_lane_t *L[LR_UV_LANES];
    for (int j = 0; j < LR_UV_LANES; j++) {
        L[j] = &q[j < count ? j : 0];
    }
    if (kind == LR_KIND_SIGN) {
        lr_lanes_sign(L, count);
    }
    else if (kind == LR_KIND_V) {
        lr_lanes_v(L, count);
    }
    else if (kind == LR_KIND_T) {
        lr_lanes_t(L, count);
    }
    else {
        lr_lanes_u(L, count);
    }
    for (int j = 0; j < count; j++) {
        const lr_uv_lane_t *t = &q[j];
        lr_mod_t c;
        c.m = t->o;
        c.minv = t->minv;
        c.one = t->one;
        c.odd = 1;
        uint64_t uo, vo;
        /* V_n = 2 U_n+1 - P U_n;  D U_n = 2 V_n+1 - P V_n */
        uint64_t w = lr_submod_nb(lr_addmod_nb(t->x1, t->x1, t->o),
                                  lr_mmul(t->P, t->x0, t->o, t->minv), t->o);
        if (kind == LR_KIND_U) {
            uo = lr_mod_from(&c, t->x0);
            vo = lr_mod_from(&c, w);
        }
        else if (kind == LR_KIND_T) {
            /* gamma = alpha^2/Q has gamma^e = U'_e gamma - U'_e-1, so with n = 2e + r,
             *   r = 0: U_n = Q^(e-1) U'_e P,  V_n = Q^(e-1) (U'_e V_2 - 2 Q U'_e-1)
             *   r = 1: U_n = Q^(e-1) (U'_e U_3 - Q U'_e-1),  V_n = Q^(e-1) (U'_e V_3 - Q P U'_e-1)
             * where D' U'_e = 2 V'_e+1 - P' V'_e and 2 U'_e-1 = P' U'_e - V'_e. */
            const uint64_t o = t->o, mi = t->minv, P = t->P0, Q = t->Q0;
            const uint64_t ue = lr_mmul(w, t->Dinv, o, mi);
            const uint64_t h = lr_submod_nb(lr_mmul(t->P, ue, o, mi), t->x0, o);
            const uint64_t ue1 = (h & 1u) ? (h >> 1) + (o >> 1) + 1u : h >> 1;   /* h / 2 */
            const uint64_t p2 = lr_mmul(P, P, o, mi), qe1 = t->x2;
            uint64_t U, V;
            if (t->n & 1u) {
                const uint64_t u3 = lr_submod_nb(p2, Q, o);
                const uint64_t q3 = lr_addmod_nb(lr_addmod_nb(Q, Q, o), Q, o);
                const uint64_t v3 = lr_mmul(P, lr_submod_nb(p2, q3, o), o, mi);
                const uint64_t qu = lr_mmul(Q, ue1, o, mi);
                U = lr_submod_nb(lr_mmul(ue, u3, o, mi), qu, o);
                V = lr_submod_nb(lr_mmul(ue, v3, o, mi), lr_mmul(qu, P, o, mi), o);
            }
            else {
                const uint64_t q2 = lr_addmod_nb(Q, Q, o);
                const uint64_t v2 = lr_submod_nb(p2, q2, o);
                U = lr_mmul(ue, P, o, mi);
                V = lr_submod_nb(lr_mmul(ue, v2, o, mi), lr_mmul(q2, ue1, o, mi), o);
            }
            uo = lr_mod_from(&c, lr_mmul(qe1, U, o, mi));
            vo = lr_mod_from(&c, lr_mmul(qe1, V, o, mi));
        }
        else {
            uo = lr_mod_from(&c, lr_mmul(w, t->Dinv, t->o, t->minv));
            vo = lr_mod_from(&c, t->x0);
        }
        lr_uvm_item *it = &items[t->item];
        if (t->e == 0) {
            it->u = uo;
            it->v = vo;
        }
        else {
            const uint64_t mask = ((uint64_t)1 << t->e) - 1u, oinv = lr_inv_2_64(t->o);
            it->u = uo + t->o * (((t->ue - uo) * oinv) & mask);
            it->v = vo + t->o * (((t->ve - vo) * oinv) & mask);
        }
        it->st = LR_OK;
    }
}

/* Is the residue a within 2^32 of 0 modulo o (a small integer of either sign)? */
static inline int
lr_near_zero(uint64_t a, uint64_t o)
{
    return a < ((uint64_t)1 << 32) || o - a < ((uint64_t)1 << 32);
}

void
lr_lucas_uv_mod_many(size_t count, lr_uvm_item *items)
{
    lr_uv_lane_t q[LR_NKINDS][LR_UV_LANES];
    int nq[LR_NKINDS] = {0, 0, 0};
    for (size_t i = 0; i < count; i++) {
        lr_uvm_item *it = &items[i];
        const uint64_t m = it->m;
        if (m <= 1 || it->n.neg || (m & (m - 1)) == 0) {
            /* errors, m = 1, negative n and powers of two: one at a time */
            it->st = lr_lucas_uv_mod(it->P, it->Q, it->n, m, LR_WANT_U | LR_WANT_V, &it->u,
                                     &it->v);
            continue;
        }
        const int e = __builtin_ctzll(m);
        const uint64_t o = m >> e;
        const uint64_t P = it->P < m ? it->P : it->P % m, Q = it->Q < m ? it->Q : it->Q % m;
        lr_uv_lane_t t;
        lr_mod_t c;
        lr_mod_init(&c, o);
        t.o = o;
        t.minv = c.minv;
        t.one = c.one;
        /* residues below o enter Montgomery form by one product with R^2 (no division) */
        const uint64_t Po = e > 0 ? P % o : P, Qo = e > 0 ? Q % o : Q;
        t.P = lr_mmul(Po, c.r2, o, c.minv);
        t.Q = lr_mmul(Qo, c.r2, o, c.minv);
        t.n = it->n.mag;
        t.item = i;
        t.e = e;
        t.ue = t.ve = 0;
        if (e > 0) {
            lr_lucas_uv_pow2(P, Q, t.n, e, LR_WANT_U | LR_WANT_V, &t.ue, &t.ve);
        }
        /* D = P^2 - 4Q and its inverse modulo o */
        uint64_t q2 = lr_addmod_nb(t.Q, t.Q, o);
        uint64_t Dm = lr_submod_nb(lr_mmul(t.P, t.P, o, t.minv), lr_addmod_nb(q2, q2, o), o);
        uint64_t dinv, qinv, ddinv;
        int kind = -1;
        t.P0 = t.P;
        t.Q0 = t.Q;
        t.x2 = 0;
        t.qneg = t.Q == lr_submod_nb(0, c.one, o);
        const int qsign = t.Q == c.one || t.qneg;
        if (!qsign && t.n >= 2 && lr_mod_inverse_plain(Qo, o, &qinv)) {
            /* P' = P^2/Q - 2 and D' = P'^2 - 4 = D P^2 / Q^2: a unit iff D and P are */
            const uint64_t two = lr_addmod_nb(c.one, c.one, o);
            const uint64_t pp = lr_submod_nb(
                lr_mmul(lr_mmul(t.P, t.P, o, c.minv), lr_mmul(qinv, c.r2, o, c.minv), o, c.minv),
                two, o);
            const uint64_t dd = lr_submod_nb(lr_mmul(pp, pp, o, c.minv),
                                             lr_addmod_nb(two, two, o), o);
            const uint64_t dpl = lr_mod_from(&c, Dm);
            if (lr_near_zero(dpl, o) && lr_near_zero(Po, o)) {
                /* small D and P (the usual case): 1/D' = Q^2 / (D P^2) from two inverses
                 * that Euclid finds in a few steps, instead of one of a full-size D' */
                uint64_t di, pi;
                if (lr_mod_inverse_plain(dpl, o, &di) && lr_mod_inverse_plain(Po, o, &pi)) {
                    const uint64_t pim = lr_mmul(pi, c.r2, o, c.minv);
                    const uint64_t q2m = lr_mmul(t.Q0, t.Q0, o, c.minv);
                    t.Dinv = lr_mmul(lr_mmul(q2m, lr_mmul(di, c.r2, o, c.minv), o, c.minv),
                                     lr_mmul(pim, pim, o, c.minv), o, c.minv);
                    t.P = pp;
                    kind = LR_KIND_T;
                }
            }
            else if (lr_mod_inverse_plain(lr_mod_from(&c, dd), o, &ddinv)) {
                t.P = pp;
                t.Dinv = lr_mmul(ddinv, c.r2, o, c.minv);
                kind = LR_KIND_T;
            }
        }
        if (kind < 0) {
            if (lr_mod_inverse_plain(lr_mod_from(&c, Dm), o, &dinv)) {
                t.Dinv = lr_mmul(dinv, c.r2, o, c.minv);
                kind = qsign ? LR_KIND_SIGN : LR_KIND_V;
            }
            else {
                t.Dinv = 0;
                t.qneg = 0;
                kind = LR_KIND_U;
            }
        }
        q[kind][nq[kind]++] = t;
        if (nq[kind] == LR_UV_LANES) {
            lr_lanes_flush(kind, q[kind], nq[kind], items);
            nq[kind] = 0;
        }
    }
    for (int kind = 0; kind < LR_NKINDS; kind++) {
        if (nq[kind] > 0) {
            lr_lanes_flush(kind, q[kind], nq[kind], items);
        }
    }
}

/* ---- exact int64 ------------------------------------------------------------------------- */

#define LR_TWO63 ((lr_i128)1 << 63)

static inline lr_i128
lr_abs128(lr_i128 x)
{
    return x < 0 ? -x : x;
}

/*
 * *acc *= x for nonzero integers with |*acc|, |x| <= 2^63.  Returns 1 when |product| > 2^63:
 * every later factor is a nonzero integer too, so the final magnitude is then > 2^63 as well.
 */
static inline int
lr_mul_big(lr_i128 *acc, lr_i128 x)
{
    if (lr_abs128(x) > LR_TWO63) {
        return 1;
    }
    *acc *= x;
    return lr_abs128(*acc) > LR_TWO63;
}

/* *acc *= b^e (b != 0) with the same convention. */
static int
lr_pow_big(lr_i128 *acc, lr_i128 b, uint64_t e)
{
    if (b == 1 || e == 0) {
        return 0;
    }
    if (b == -1) {
        if (e & 1u) {
            *acc = -*acc;
        }
        return 0;
    }
    /* |b| >= 2: e <= 63 multiplications at most before the product exceeds 2^63 */
    for (uint64_t i = 0; i < e; i++) {
        if (lr_mul_big(acc, b)) {
            return 1;
        }
    }
    return 0;
}

/*
 * One closed-form value coef * t^a * lam^q (coef == 0 gives 0).  *big set when its magnitude
 * exceeds 2^63.
 */
static lr_i128
lr_closed_value(lr_i128 coef, lr_i128 t, uint64_t a, lr_i128 lam, uint64_t q, int *big)
{
    lr_i128 acc = coef;
    *big = 0;
    if (coef == 0) {
        return 0;
    }
    if (lr_abs128(acc) > LR_TWO63 || lr_pow_big(&acc, t, a) || lr_pow_big(&acc, lam, q)) {
        *big = 1;
        return 0;
    }
    return acc;
}

/*
 * Degenerate sequences, exactly.  Returns 1 (and fills u, v, the *_big flags) when (P, Q) is
 * degenerate, 0 otherwise.  n >= 0.
 */
static int
lr_uv_degenerate(int64_t P, int64_t Q, uint64_t n, lr_i128 *u, int *ubig, lr_i128 *v,
                 int *vbig)
{
    const lr_i128 p = P, q = Q, p2 = p * p;
    if (Q == 0) {
        /* beta = 0: U_n = P^(n-1), V_n = P^n for n >= 1 */
        if (n == 0) {
            *u = 0;
            *v = 2;
            *ubig = *vbig = 0;
        }
        else if (P == 0) {
            *u = n == 1;
            *v = 0;
            *ubig = *vbig = 0;
        }
        else {
            *u = lr_closed_value(1, p, n - 1, 1, 0, ubig);
            *v = lr_closed_value(1, p, n, 1, 0, vbig);
        }
        return 1;
    }
    if (p2 == 4 * q) {
        /* double root t = P/2: U_n = n t^(n-1), V_n = 2 t^n */
        lr_i128 t = p / 2;
        *ubig = 0;
        *u = n == 0 ? 0 : lr_closed_value((lr_i128)n, t, n - 1, 1, 0, ubig);
        *v = lr_closed_value(2, t, n, 1, 0, vbig);
        return 1;
    }
    /* alpha/beta a root of unity of order h: alpha^h = beta^h = lam, so
     * X_(hq+r) = lam^q X_r.  Scaled families (tP0, t^2 Q0) give X_n = t^(n-1 or n) X_n(P0,Q0). */
    int64_t P0, Q0;
    int h;
    lr_i128 t;
    if (P == 0) {
        P0 = 0;
        Q0 = 0;   /* unused: handled by the generic code with t = 1, base (0, Q) */
        h = 2;
        t = 1;
    }
    else if (p2 == q) {
        P0 = 1; Q0 = 1; h = 3; t = p;
    }
    else if (p2 == 2 * q) {
        P0 = 2; Q0 = 2; h = 4; t = p / 2;
    }
    else if (p2 == 3 * q) {
        P0 = 3; Q0 = 3; h = 6; t = p / 3;
    }
    else {
        return 0;
    }
    /* base terms X_0 .. X_h of the unscaled sequence (for P = 0 the sequence itself) */
    lr_i128 bu[7], bv[7], bp = P == 0 ? 0 : P0, bq = P == 0 ? q : Q0;
    bu[0] = 0;
    bu[1] = 1;
    bv[0] = 2;
    bv[1] = bp;
    for (int i = 2; i <= h; i++) {
        bu[i] = bp * bu[i - 1] - bq * bu[i - 2];
        bv[i] = bp * bv[i - 1] - bq * bv[i - 2];
    }
    lr_i128 lam = bv[h] / 2;   /* U_h = 0 and V_h = 2 lam */
    uint64_t qq = n / (uint64_t)h, rr = n % (uint64_t)h;
    if (n == 0) {
        *u = 0;
        *ubig = 0;
    }
    else {
        *u = lr_closed_value(bu[rr], t, n - 1, lam, qq, ubig);
    }
    *v = lr_closed_value(bv[rr], t, n, lam, qq, vbig);
    return 1;
}

/* Magnitude of x as unsigned 128-bit and its bit length. */
static inline int
lr_bits128(lr_i128 x)
{
    lr_u128 a = (lr_u128)(x < 0 ? -x : x);
    uint64_t hi = (uint64_t)(a >> 64), lo = (uint64_t)a;
    if (hi != 0) {
        return 128 - __builtin_clzll(hi);
    }
    return lo == 0 ? 0 : 64 - __builtin_clzll(lo);
}

#define LR_EXACT_BITS 125   /* values of the 128-bit doubling stay below 2^125 */

/* *r = a * b unless the product may reach 2^125 (then 1). */
static inline int
lr_mul125(lr_i128 a, lr_i128 b, lr_i128 *r)
{
    if (a == 0 || b == 0) {
        *r = 0;
        return 0;
    }
    if (lr_bits128(a) + lr_bits128(b) > LR_EXACT_BITS) {
        return 1;
    }
    *r = a * b;
    return 0;
}

static inline int
lr_add125(lr_i128 a, lr_i128 b, lr_i128 *r)
{
    *r = a + b;   /* |a|, |b| < 2^125: no 128-bit overflow */
    return lr_bits128(*r) > LR_EXACT_BITS;
}

/* Pair doubling over the integers while everything stays below 2^125.  0 on success. */
static int
lr_u_pair_exact(lr_i128 P, lr_i128 Q, uint64_t n, lr_i128 *un, lr_i128 *un1)
{
    lr_i128 ua = 0, ub = 1;
    for (int b = lr_top_bit(n); b >= 0; b--) {
        lr_i128 a2, b2, qa2, odd, w, t;
        if (lr_mul125(ua, ua, &a2) || lr_mul125(ub, ub, &b2) || lr_mul125(Q, a2, &qa2) ||
            lr_add125(b2, -qa2, &odd)) {
            return 1;
        }
        if ((n >> b) & 1u) {
            lr_i128 qa, pb;
            if (lr_mul125(Q, ua, &qa) || lr_mul125(P, ub, &pb) ||
                lr_add125(pb, -2 * qa, &w) || lr_mul125(ub, w, &t)) {
                return 1;
            }
            ua = odd;
            ub = t;
        }
        else {
            lr_i128 pa;
            if (lr_mul125(P, ua, &pa) || lr_add125(2 * ub, -pa, &w) || lr_mul125(ua, w, &t)) {
                return 1;
            }
            ua = t;
            ub = odd;
        }
    }
    *un = ua;
    *un1 = ub;
    return 0;
}

#define LR_CERT_MAX 16   /* primes used at most: proves values up to ~1040 bits */

/*
 * Decide X_n (X = U when which == LR_WANT_U, else V) of a non-degenerate sequence from
 * residues.  On LR_OK *x is the exact value, |*x| <= 2^63.  LR_ERR_OVERFLOW: |X_n| > 2^63.
 */
static lr_status
lr_uv_by_residues(int64_t P, int64_t Q, uint64_t n, int which, lr_i128 *x)
{
    uint64_t wu, wv;
    lr_lucas_uv_wrap((uint64_t)P, (uint64_t)Q, n, which, &wu, &wv);
    const uint64_t c = which == LR_WANT_U ? wu : wv;
    /* the integers of magnitude <= 2^63 that are c mod 2^64: one, or two for c == 2^63 */
    lr_i128 cand[2];
    int ncand = 0;
    cand[ncand++] = (lr_i128)(int64_t)c;
    if (c == (uint64_t)1 << 63) {
        cand[ncand++] = LR_TWO63;
    }
    /* log2 of a bound on |X_n|: both roots satisfy |x| <= |P| + sqrt|Q| =: rho */
    double rho = fabs((double)P) + sqrt(fabs((double)Q));
    double l2 = log2(rho > 1.0 ? rho : 1.0) * (1.0 + 1e-9) + 1e-9;
    double bound = which == LR_WANT_U ? log2((double)n + 1.0) + ((double)n - 1.0) * l2
                                      : 1.0 + (double)n * l2;
    bound += 2.0;   /* slack for rounding in log2 and the conversions above */
    for (int j = 0; j < LR_CERT_MAX; j++) {
        const uint64_t p = lr_cert_primes[j];
        uint64_t ru, rv;
        lr_index_t idx = {0, n};
        lr_lucas_uv_mod(lr_mod_reduce_i64(P, p), lr_mod_reduce_i64(Q, p), idx, p, which, &ru,
                        &rv);
        const uint64_t rx = which == LR_WANT_U ? ru : rv;
        int keep = 0;
        for (int i = 0; i < ncand; i++) {
            lr_i128 cm = cand[i] % (lr_i128)p;
            if (cm < 0) {
                cm += p;
            }
            if ((uint64_t)cm == rx) {
                cand[keep++] = cand[i];
            }
        }
        ncand = keep;
        if (ncand == 0) {
            return LR_ERR_OVERFLOW;   /* no integer of magnitude <= 2^63 has these residues */
        }
        /* X_n = cand mod 2^64 * p_0 ... p_j > 2^(64 + 61 (j+1)); unique once that exceeds
         * the bound plus 2^63 */
        if (bound + 1.0 < 64.0 + 61.0 * (double)(j + 1)) {
            *x = cand[0];
            return LR_OK;
        }
    }
    return LR_ERR_UNCERTIFIED;
}

/* n >= 0.  Wanted values exact in *u / *v (magnitude <= 2^63), or an error status. */
static lr_status
lr_uv_exact(int64_t P, int64_t Q, uint64_t n, int want, lr_i128 *u, lr_i128 *v)
{
    int ubig = 0, vbig = 0;
    if (lr_uv_degenerate(P, Q, n, u, &ubig, v, &vbig)) {
        if (((want & LR_WANT_U) && ubig) || ((want & LR_WANT_V) && vbig)) {
            return LR_ERR_OVERFLOW;
        }
        return LR_OK;
    }
    lr_i128 un, un1;
    int uok = 0, vok = 0;
    if (lr_u_pair_exact(P, Q, n, &un, &un1) == 0) {
        lr_i128 pu, vv;
        *u = un;
        uok = lr_abs128(un) <= LR_TWO63;
        if (!uok && (want & LR_WANT_U)) {
            return LR_ERR_OVERFLOW;
        }
        if (lr_mul125(P, un, &pu) == 0 && lr_add125(2 * un1, -pu, &vv) == 0) {
            *v = vv;
            vok = 1;
            if (lr_abs128(vv) > LR_TWO63 && (want & LR_WANT_V)) {
                return LR_ERR_OVERFLOW;
            }
        }
    }
    if ((want & LR_WANT_U) && !uok) {
        lr_status st = lr_uv_by_residues(P, Q, n, LR_WANT_U, u);
        if (st != LR_OK) {
            return st;
        }
    }
    if ((want & LR_WANT_V) && !vok) {
        lr_status st = lr_uv_by_residues(P, Q, n, LR_WANT_V, v);
        if (st != LR_OK) {
            return st;
        }
    }
    return LR_OK;
}

static inline int
lr_fits_i64(lr_i128 x)
{
    return x >= -LR_TWO63 && x < LR_TWO63;
}

lr_status
lr_lucas_uv_i64(int64_t P, int64_t Q, lr_index_t n, int want, int64_t *u, int64_t *v)
{
    if (n.neg && Q != 1 && Q != -1) {
        return LR_ERR_BACKWARDS;
    }
    lr_i128 U = 0, V = 0;
    lr_status st = lr_uv_exact(P, Q, n.mag, want, &U, &V);
    if (st != LR_OK) {
        return st;
    }
    if (n.neg) {
        /* U_-n = -Q^n U_n, V_-n = Q^n V_n with Q^n = +-1 */
        int qn_neg = Q == -1 && (n.mag & 1u);
        U = qn_neg ? U : -U;
        V = qn_neg ? -V : V;
    }
    if (want & LR_WANT_U) {
        if (!lr_fits_i64(U)) {
            return LR_ERR_OVERFLOW;
        }
        *u = (int64_t)U;
    }
    if (want & LR_WANT_V) {
        if (!lr_fits_i64(V)) {
            return LR_ERR_OVERFLOW;
        }
        *v = (int64_t)V;
    }
    return LR_OK;
}

void
lr_fib_luc_tables(int64_t *fib, int64_t *luc)
{
    fib[0] = 0;
    fib[1] = 1;
    for (int i = 2; i <= LR_FIB_MAX_I64; i++) {
        fib[i] = fib[i - 1] + fib[i - 2];
    }
    luc[0] = 2;
    luc[1] = 1;
    for (int i = 2; i <= LR_LUC_MAX_I64; i++) {
        luc[i] = luc[i - 1] + luc[i - 2];
    }
}
