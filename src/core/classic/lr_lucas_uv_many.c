/*
 * Lucas sequences modulo m for many terms at once (lr_lucas_uv_mod_many): independent Lucas
 * chains advanced side by side.  One term at a time is lr_lucas_uv.c's.
 */
#include "lr_classic.h"

#include <stddef.h>
#include <stdint.h>

#include "lr_modarith.h"

/* ---- many terms at once ------------------------------------------------------------------- */

/*
 * A single Lucas chain waits on its own products (every bit depends on the previous one);
 * LR_UV_LANES independent terms advanced side by side keep the multiplier busy.  The lanes
 * work modulo the odd part o of m; the 2^e part (cheap wrap-around arithmetic) and the CRT
 * join stay per term.
 */
#define LR_UV_LANES 4

typedef struct {
    uint64_t o, minv, one; /* odd modulus > 1, -o^-1 mod 2^64 ... (lr_mod_t fields) */
    uint64_t P, Q, Dinv; /* Montgomery forms; Dinv only for the V kinds */
    uint64_t n;
    int qneg; /* Q = -1 (sign kind only; Q = 1 otherwise) */
    size_t item; /* index into the caller's items */
    int e; /* m = 2^e o */
    uint64_t ue, ve; /* U_n, V_n mod 2^64 when e > 0 */
    uint64_t x0, x1; /* results: V_n, V_n+1 (V kinds) or U_n, U_n+1 (U kind) */
    /* kind T: the chain runs on e = n >> 1 with P' = P^2/Q - 2 and Q' = 1 (P holds P');
     * x2 = Q^(e-1) from a 4-bit window table of Q */
    uint64_t x2, P0, Q0; /* the original P and Q (Montgomery) */
} lr_uv_lane_t;

enum { LR_KIND_SIGN = 0, LR_KIND_V = 1, LR_KIND_U = 2, LR_KIND_T = 3, LR_NKINDS = 4 };

/* The lane kernels below advance nl <= LR_UV_LANES lanes, so that a short last queue does
 * only its own work instead of repeating a lane; each reads the lanes' moduli from one
 * lr_lanes_mod that its caller loads.  Kept out of line: inlined copies for a
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
        dd[j] = L[j]->n << (63 - top); /* the current bit is the sign bit */
    }
    return top;
}

/* What every lane kernel reads first: each lane's odd modulus, its Montgomery inverse and P
 * (all LR_UV_LANES pointers of L are valid: a short queue repeats its first lane). */
typedef struct {
    uint64_t o[LR_UV_LANES], mi[LR_UV_LANES], P[LR_UV_LANES];
} lr_lanes_mod;

static inline lr_lanes_mod
lr_lanes_load(lr_uv_lane_t *const *L)
{
    lr_lanes_mod M;
    for (int j = 0; j < LR_UV_LANES; j++) {
        M.o[j] = L[j]->o;
        M.mi[j] = L[j]->minv;
        M.P[j] = L[j]->P;
    }
    return M;
}

/* A ladder step's pair in bit order: (lo, hi) = (a, b) on a set bit, (b, a) on a clear one. */
static inline void
lr_lanes_order(uint64_t bit, uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    *lo = lr_sel(bit, a, b);
    *hi = lr_sel(bit, b, a);
}

/* The pair each kernel computes, back to its lanes. */
static inline void
lr_lanes_store(lr_uv_lane_t *const *L, int nl, const uint64_t *x0, const uint64_t *x1)
{
    for (int j = 0; j < nl; j++) {
        L[j]->x0 = x0[j];
        L[j]->x1 = x1[j];
    }
}

/* Q = +-1: two products per bit (see lr_v_chain). */
LR_LANES_FN void
lr_lanes_sign(lr_uv_lane_t *const *L, int nl, const lr_lanes_mod *M)
{
    uint64_t mP[LR_UV_LANES], two[LR_UV_LANES], mtwo[LR_UV_LANES], vl[LR_UV_LANES];
    uint64_t vh[LR_UV_LANES], dd[LR_UV_LANES], kodd[LR_UV_LANES], qneg[LR_UV_LANES];
    for (int j = 0; j < nl; j++) {
        mP[j] = lr_submod_nb(0, M->P[j], M->o[j]);
        two[j] = lr_addmod_nb(L[j]->one, L[j]->one, M->o[j]);
        mtwo[j] = lr_submod_nb(0, two[j], M->o[j]);
        vl[j] = two[j];
        vh[j] = M->P[j];
        kodd[j] = 0;
        qneg[j] = (uint64_t)L[j]->qneg;
    }
    for (int b = lr_lanes_top(L, nl, dd); b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = M->o[j];
            const uint64_t x = lr_sel(bit, vh[j], vl[j]);
            const uint64_t pq = lr_sel(qneg[j] & kodd[j], mP[j], M->P[j]);
            const uint64_t tq = lr_sel(qneg[j] & (kodd[j] ^ bit), mtwo[j], two[j]);
            const uint64_t vm = lr_submod_nb(lr_mmul(vl[j], vh[j], oj, M->mi[j]), pq, oj);
            const uint64_t sq = lr_submod_nb(lr_mmul(x, x, oj, M->mi[j]), tq, oj);
            lr_lanes_order(bit, vm, sq, &vl[j], &vh[j]);
            kodd[j] = bit;
            dd[j] += dd[j];
        }
    }
    lr_lanes_store(L, nl, vl, vh);
}

/* Any Q: state V_k, V_k+1, Q^k, Q^k+1 (see lr_v_chain), five products per bit. */
LR_LANES_FN void
lr_lanes_v(lr_uv_lane_t *const *L, int nl, const lr_lanes_mod *M)
{
    uint64_t vl[LR_UV_LANES], vh[LR_UV_LANES], qk[LR_UV_LANES], qk1[LR_UV_LANES];
    uint64_t dd[LR_UV_LANES];
    for (int j = 0; j < nl; j++) {
        vl[j] = lr_addmod_nb(L[j]->one, L[j]->one, M->o[j]);
        vh[j] = M->P[j];
        qk[j] = L[j]->one;
        qk1[j] = L[j]->Q;
    }
    for (int b = lr_lanes_top(L, nl, dd); b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = M->o[j], m = M->mi[j];
            const uint64_t x = lr_sel(bit, vh[j], vl[j]);
            const uint64_t qx = lr_sel(bit, qk1[j], qk[j]);
            const uint64_t pq = lr_mmul(M->P[j], qk[j], oj, m);
            const uint64_t vm = lr_submod_nb(lr_mmul(vl[j], vh[j], oj, m), pq, oj);
            const uint64_t sq = lr_submod_nb(lr_mmul(x, x, oj, m), lr_addmod_nb(qx, qx, oj), oj);
            const uint64_t qm = lr_mmul(qk[j], qk1[j], oj, m);
            const uint64_t qs = lr_mmul(qx, qx, oj, m);
            lr_lanes_order(bit, vm, sq, &vl[j], &vh[j]);
            lr_lanes_order(bit, qm, qs, &qk[j], &qk1[j]);
            dd[j] += dd[j];
        }
    }
    lr_lanes_store(L, nl, vl, vh);
}

/* D not invertible: the division-free pair doubling of lr_u_pair. */
LR_LANES_FN void
lr_lanes_u(lr_uv_lane_t *const *L, int nl, const lr_lanes_mod *M)
{
    uint64_t Q[LR_UV_LANES], ua[LR_UV_LANES], ub[LR_UV_LANES], dd[LR_UV_LANES];
    for (int j = 0; j < nl; j++) {
        Q[j] = L[j]->Q;
        ua[j] = 0;
        ub[j] = L[j]->one;
    }
    for (int b = lr_lanes_top(L, nl, dd); b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = M->o[j], m = M->mi[j];
            const uint64_t a2 = lr_mmul(ua[j], ua[j], oj, m);
            const uint64_t b2 = lr_mmul(ub[j], ub[j], oj, m);
            const uint64_t odd = lr_submod_nb(b2, lr_mmul(Q[j], a2, oj, m), oj);
            const uint64_t qa = lr_mmul(Q[j], ua[j], oj, m);
            const uint64_t pb = lr_mmul(M->P[j], lr_sel(bit, ub[j], ua[j]), oj, m);
            const uint64_t c = lr_sel(bit, pb, lr_addmod_nb(ub[j], ub[j], oj));
            const uint64_t d = lr_sel(bit, lr_addmod_nb(qa, qa, oj), pb);
            const uint64_t other =
                lr_mmul(lr_sel(bit, ub[j], ua[j]), lr_submod_nb(c, d, oj), oj, m);
            lr_lanes_order(bit, odd, other, &ua[j], &ub[j]);
            dd[j] += dd[j];
        }
    }
    lr_lanes_store(L, nl, ua, ub);
}

/*
 * Kind T: V'_e, V'_e+1 of the sequence with (P', 1) (two products per bit, Q' = 1 needs no
 * powers of Q) next to Q^(e-1) by a fixed 4-bit window (one square per bit, one product
 * per 4 bits), the exponents aligned at the same top bit.
 */
LR_LANES_FN void
lr_lanes_t(lr_uv_lane_t *const *L, int nl, const lr_lanes_mod *M)
{
    uint64_t tab[LR_UV_LANES][16], acc[LR_UV_LANES], ff[LR_UV_LANES]; /* the window on Q */
    uint64_t two[LR_UV_LANES], vl[LR_UV_LANES], vh[LR_UV_LANES], dd[LR_UV_LANES];
    int top = 0;
    for (int j = 0; j < nl; j++) {
        two[j] = lr_addmod_nb(L[j]->one, L[j]->one, M->o[j]);
        vl[j] = two[j];
        vh[j] = M->P[j];
        acc[j] = L[j]->one;
        tab[j][0] = L[j]->one;
        for (int w = 1; w < 16; w++) {
            tab[j][w] = lr_mmul(tab[j][w - 1], L[j]->Q0, M->o[j], M->mi[j]);
        }
        int t = lr_top_bit(L[j]->n >> 1);
        top = t > top ? t : top;
    }
    top |= 3; /* start at a window boundary: bits above the top are zeros */
    for (int j = 0; j < nl; j++) {
        const uint64_t e = L[j]->n >> 1;
        dd[j] = top >= 64 ? 0 : e << (63 - top);
        ff[j] = e - 1; /* e >= 1 for this kind */
    }
    for (int b = top; b >= 0; b--) {
        for (int j = 0; j < nl; j++) {
            const uint64_t bit = dd[j] >> 63, oj = M->o[j], m = M->mi[j];
            const uint64_t x = lr_sel(bit, vh[j], vl[j]);
            const uint64_t vm = lr_submod_nb(lr_mmul(vl[j], vh[j], oj, m), M->P[j], oj);
            const uint64_t sq = lr_submod_nb(lr_mmul(x, x, oj, m), two[j], oj);
            lr_lanes_order(bit, vm, sq, &vl[j], &vh[j]);
            dd[j] += dd[j];
        }
        for (int j = 0; j < nl; j++) {
            acc[j] = lr_mmul(acc[j], acc[j], M->o[j], M->mi[j]);
        }
        if ((b & 3) == 0) { /* the same for every lane: no misprediction */
            for (int j = 0; j < nl; j++) {
                acc[j] = lr_mmul(acc[j], tab[j][(ff[j] >> b) & 15u], M->o[j], M->mi[j]);
            }
        }
    }
    lr_lanes_store(L, nl, vl, vh);
    for (int j = 0; j < nl; j++) {
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
    const lr_lanes_mod M = lr_lanes_load(L);
    if (kind == LR_KIND_SIGN) {
        lr_lanes_sign(L, count, &M);
    }
    else if (kind == LR_KIND_V) {
        lr_lanes_v(L, count, &M);
    }
    else if (kind == LR_KIND_T) {
        lr_lanes_t(L, count, &M);
    }
    else {
        lr_lanes_u(L, count, &M);
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
            const uint64_t ue1 = (h & 1u) ? (h >> 1) + (o >> 1) + 1u : h >> 1; /* h / 2 */
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
            it->st = lr_lucas_uv_mod(it->P, it->Q, it->n, m, LR_WANT_U | LR_WANT_V, &it->u, &it->v);
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
            const uint64_t dd =
                lr_submod_nb(lr_mmul(pp, pp, o, c.minv), lr_addmod_nb(two, two, o), o);
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
