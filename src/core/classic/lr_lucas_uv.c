/*
 * Lucas sequences U_n(P, Q), V_n(P, Q): exact int64 values and residues modulo any m < 2^64.
 * This file: one residue (lr_lucas_uv_mod, lr_lucas_uv_wrap); many residues at once are in
 * lr_lucas_uv_many.c, exact int64 values in lr_lucas_uv_i64.c.
 *
 * Modular path: m = 2^e * o with o odd.  Modulo o the arithmetic is Montgomery (no division
 * in the loop), modulo 2^e it is plain uint64 wrap-around; the two residues are joined by
 * the Chinese remainder theorem.  In each ring V comes from the Lucas chain
 *     V_2k = V_k^2 - 2 Q^k,   V_2k+1 = V_k V_k+1 - P Q^k
 * (two products per bit when Q = +-1, four and a half in general), and U from
 * D U_n = 2 V_n+1 - P V_n when D = P^2 - 4Q is invertible; otherwise U comes from doubling
 * the pair (U_k, U_k+1), which needs no division at all.
 */
#include "lr_classic.h"

#include "lr_modarith.h"

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
    lr_ring_t r = {0}; /* the modulus fields are unused when wrapping */
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
void
lr_lucas_uv_pow2(uint64_t P, uint64_t Q, uint64_t n, int e, int want, uint64_t *u, uint64_t *v)
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
lr_lucas_uv_odd(uint64_t P, uint64_t Q, uint64_t n, uint64_t o, int want, uint64_t *u, uint64_t *v)
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
