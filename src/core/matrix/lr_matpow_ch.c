/*
 * Many exponents of one matrix modulo an odd m by Cayley-Hamilton (see lr_mp_ch in
 * lr_matpow.h).  The characteristic polynomial comes from Berkowitz's algorithm, which needs
 * no division and so works modulo composite m too; polynomial products modulo it reuse the
 * lazy kernels of lr_polymod.c.
 */
#include <stdlib.h>
#include <string.h>

#include "lr_matpow.h"
#include "lr_polymod.h"

/* sum u[i] v[i vs] for i < len, one reduction. */
static inline uint64_t
lr_mp_dot(const lr_mod_t *x, const uint64_t *u, const uint64_t *v, int64_t vs, int64_t len)
{
    lr_u128 acc = 0;
    uint64_t top = 0;
    for (int64_t i = 0; i < len; i++) {
        const lr_u128 t = (lr_u128)u[i] * v[i * vs];
        acc += t;
        top += acc < t;
    }
    return lr_mp_finish(x, acc, top);
}

/*
 * f(x) = det(xI - A) = x^k - sum c[i] x^i by Berkowitz: the characteristic polynomial of
 * each leading principal submatrix A_(r+1) = [[M, S], [R, a_rr]] is a lower-triangular
 * Toeplitz matrix with first column (1, -a_rr, -R S, -R M S, ..., -R M^(r-1) S) times the
 * one of M.  O(k^4) products, no division.  Returns 0 or -1 when memory is short.
 */
static int
lr_mp_charpoly(const lr_mod_t *x, int64_t k, const uint64_t *A, uint64_t *c)
{
    uint64_t *buf = malloc((size_t)(5 * k + 4) * sizeof *buf);
    if (buf == NULL) {
        return -1;
    }
    uint64_t *vect = buf, *nv = buf + k + 1, *C = buf + 2 * k + 2, *v = buf + 3 * k + 4;
    uint64_t *v2 = v + k;
    vect[0] = x->one;
    vect[1] = lr_mod_neg(x, A[0]);
    for (int64_t r = 1; r < k; r++) {
        C[0] = x->one;
        C[1] = lr_mod_neg(x, A[r * k + r]);
        for (int64_t j = 0; j < r; j++) {
            v[j] = A[j * k + r]; /* S */
        }
        for (int64_t i = 0; i < r; i++) {
            C[i + 2] = lr_mod_neg(x, lr_mp_dot(x, A + r * k, v, 1, r)); /* -R M^i S */
            if (i + 1 < r) {
                for (int64_t a = 0; a < r; a++) {
                    v2[a] = lr_mp_dot(x, A + a * k, v, 1, r);
                }
                uint64_t *s = v;
                v = v2;
                v2 = s;
            }
        }
        for (int64_t i = 0; i <= r + 1; i++) {
            lr_u128 acc = 0;
            uint64_t top = 0;
            for (int64_t j = i - (r + 1) > 0 ? i - (r + 1) : 0; j <= (i < r ? i : r); j++) {
                const lr_u128 t = (lr_u128)C[i - j] * vect[j];
                acc += t;
                top += acc < t;
            }
            nv[i] = lr_mp_finish(x, acc, top);
        }
        memcpy(vect, nv, (size_t)(r + 2) * sizeof *vect);
    }
    for (int64_t i = 0; i < k; i++) {
        c[i] = lr_mod_neg(x, vect[k - i]);
    }
    free(buf);
    return 0;
}

/* Window bits for `count` exponents of up to 64 bits: table cost nb 2^w products against
 * nb per exponent, within 32 MB of table. */
static int
lr_mp_ch_window(int64_t k, int64_t count)
{
    int best = 1;
    double best_cost = 1e300;
    for (int w = 1; w <= 16; w++) {
        const int nb = (64 + w - 1) / w;
        if ((double)nb * (double)(1 << w) * (double)k * 8.0 > 32.0 * 1024 * 1024) {
            break;
        }
        const double cost = (double)nb * ((double)(1 << w) + (double)count);
        if (cost < best_cost) {
            best_cost = cost;
            best = w;
        }
    }
    return best;
}

lr_status
lr_mp_ch_init(lr_mp_ch *ch, const lr_mod_t *x, int64_t k, const uint64_t *A, int64_t count)
{
    memset(ch, 0, sizeof *ch);
    ch->k = k;
    ch->w = lr_mp_ch_window(k, count);
    const int nbmax = (64 + ch->w - 1) / ch->w;
    const size_t kk = (size_t)(k * k);
    ch->c = malloc((5 * (size_t)k + kk * (size_t)k + 2 * kk) * sizeof *ch->c);
    ch->tab = malloc((size_t)nbmax * ((size_t)1 << ch->w) * (size_t)k * sizeof *ch->tab);
    if (ch->c == NULL || ch->tab == NULL || lr_mp_charpoly(x, k, A, ch->c) < 0) {
        return LR_ERR_NOMEM;
    }
    ch->base = ch->c + k;
    ch->r = ch->base + k;
    ch->t = ch->r + k; /* 2k - 1 words of scratch for lr_polymod_mul */
    ch->pw = ch->t + 2 * k;
    uint64_t *P = ch->pw + kk * (size_t)k, *Q = P + kk;
    /* A^0 .. A^(k-1), stored so that the dot for entry (a, b) runs over contiguous words */
    memset(P, 0, kk * sizeof *P);
    for (int64_t i = 0; i < k; i++) {
        P[i * k + i] = x->one;
    }
    for (int64_t i = 0; i < k; i++) {
        for (size_t ab = 0; ab < kk; ab++) {
            ch->pw[ab * (size_t)k + (size_t)i] = P[ab];
        }
        if (i + 1 < k) {
            lr_polymod_matmul(x, k, P, A, Q);
            memcpy(P, Q, kk * sizeof *P);
        }
    }
    memset(ch->base, 0, (size_t)k * sizeof *ch->base);
    ch->base[1] = x->one; /* x mod f (k >= 3) */
    return LR_OK;
}

/* Blocks of the window table up to `need` (x^(d 2^(w b)) for d < 2^w). */
static void
lr_mp_ch_build(lr_mp_ch *ch, const lr_mod_t *x, int need)
{
    const int64_t k = ch->k;
    const size_t W = (size_t)1 << ch->w;
    while (ch->nb < need) {
        uint64_t *blk = ch->tab + (size_t)ch->nb * W * (size_t)k;
        memset(blk, 0, (size_t)k * sizeof *blk);
        blk[0] = x->one;
        memcpy(blk + k, ch->base, (size_t)k * sizeof *blk);
        for (size_t d = 2; d < W; d++) {
            lr_polymod_mul(x, k, ch->c, blk + (d - 1) * (size_t)k, ch->base, blk + d * (size_t)k,
                           ch->t);
        }
        /* x^(2^(w (nb+1))) = x^((2^w - 1) 2^(w nb)) x^(2^(w nb)) */
        lr_polymod_mul(x, k, ch->c, blk + (W - 1) * (size_t)k, ch->base, ch->base, ch->t);
        ch->nb++;
    }
}

lr_status
lr_mp_ch_apply(lr_mp_ch *ch, const lr_mod_t *x, uint64_t e, uint64_t *out)
{
    const int64_t k = ch->k;
    const int w = ch->w;
    const size_t W = (size_t)1 << w;
    const int need = (64 - __builtin_clzll(e) + w - 1) / w;
    lr_mp_ch_build(ch, x, need);
    int have = 0;
    for (int b = 0; b < need; b++) {
        const uint64_t d = (e >> (w * b)) & (W - 1);
        if (d == 0) {
            continue;
        }
        const uint64_t *p = ch->tab + ((size_t)b * W + d) * (size_t)k;
        if (!have) {
            memcpy(ch->r, p, (size_t)k * sizeof *p);
            have = 1;
        }
        else {
            lr_polymod_mul(x, k, ch->c, ch->r, p, ch->r, ch->t);
        }
    }
    for (int64_t ab = 0; ab < k * k; ab++) {
        out[ab] = lr_mp_dot(x, ch->r, ch->pw + ab * k, 1, k);
    }
    return LR_OK;
}

void
lr_mp_ch_free(lr_mp_ch *ch)
{
    free(ch->c);
    free(ch->tab);
    memset(ch, 0, sizeof *ch);
}

/* ---- one large exponent modulo a prime: Paterson-Stockmeyer ----------------------------- */

/*
 * Characteristic polynomial modulo a prime: a similarity transform to upper Hessenberg form
 * H (O(k^3)), then the recurrence p_(j+1) = (x - h_jj) p_j - sum_(i<j) h_ij (h_(i+1,i) ...
 * h_(j,j-1)) p_i.  Writes c with f = x^k - sum c[i] x^i; A in working form.  0, or -1 when
 * memory is short.
 */
static int
lr_mp_charpoly_prime(const lr_mod_t *x, int64_t k, const uint64_t *A, uint64_t *c)
{
    const size_t kk = (size_t)(k * k);
    uint64_t *H = malloc((kk + (size_t)(k + 1) * (size_t)(k + 1)) * sizeof *H);
    if (H == NULL) {
        return -1;
    }
    uint64_t *P = H + kk; /* P[j (k+1) + d]: coefficient d of p_j */
    memcpy(H, A, kk * sizeof *H);
    for (int64_t j = 0; j + 2 < k; j++) {
        int64_t piv = -1;
        for (int64_t i = j + 1; i < k && piv < 0; i++) {
            piv = H[i * k + j] ? i : -1;
        }
        if (piv < 0) {
            continue;
        }
        if (piv != j + 1) {
            for (int64_t t = 0; t < k; t++) {
                uint64_t s = H[piv * k + t];
                H[piv * k + t] = H[(j + 1) * k + t];
                H[(j + 1) * k + t] = s;
            }
            for (int64_t t = 0; t < k; t++) {
                uint64_t s = H[t * k + piv];
                H[t * k + piv] = H[t * k + j + 1];
                H[t * k + j + 1] = s;
            }
        }
        uint64_t plain = lr_mod_from(x, H[(j + 1) * k + j]), inv = 0;
        lr_mod_inverse_plain(plain, x->m, &inv);
        inv = lr_mod_to(x, inv);
        /* H <- L H L^-1 with L = I - sum u_i e_i e_(j+1)^T: the row operations all use the
         * unchanged row j+1, then column j+1 gains sum u_i column i (one contiguous dot per
         * row instead of a strided column walk per i) */
        uint64_t *u = P; /* scratch until the polynomial stage */
        for (int64_t i = j + 2; i < k; i++) {
            u[i] = lr_mod_mul(x, H[i * k + j], inv);
            if (u[i] == 0) {
                continue;
            }
            const uint64_t nu = lr_mod_neg(x, u[i]);
            for (int64_t t = j; t < k; t++) {
                H[i * k + t] = lr_mod_add(x, H[i * k + t], lr_mod_mul(x, nu, H[(j + 1) * k + t]));
            }
        }
        for (int64_t t = 0; t < k; t++) {
            const uint64_t d = lr_mp_dot(x, u + j + 2, H + t * k + j + 2, 1, k - j - 2);
            H[t * k + j + 1] = lr_mod_add(x, H[t * k + j + 1], d);
        }
    }
    const size_t ld = (size_t)(k + 1);
    memset(P, 0, ld * ld * sizeof *P);
    P[0] = x->one;
    for (int64_t j = 0; j < k; j++) {
        uint64_t *pn = P + (size_t)(j + 1) * ld;
        const uint64_t *pj = P + (size_t)j * ld;
        /* (x - h_jj) p_j */
        for (int64_t d = 0; d <= j; d++) {
            pn[d + 1] = lr_mod_add(x, pn[d + 1], pj[d]);
            pn[d] = lr_mod_sub(x, pn[d], lr_mod_mul(x, H[j * k + j], pj[d]));
        }
        uint64_t prod = x->one; /* h_(i+1,i) ... h_(j,j-1), built from i = j-1 down */
        for (int64_t i = j - 1; i >= 0; i--) {
            prod = lr_mod_mul(x, prod, H[(i + 1) * k + i]);
            const uint64_t f = lr_mod_mul(x, H[i * k + j], prod);
            if (f == 0) {
                continue;
            }
            const uint64_t *pi = P + (size_t)i * ld;
            for (int64_t d = 0; d <= i; d++) {
                pn[d] = lr_mod_sub(x, pn[d], lr_mod_mul(x, f, pi[d]));
            }
        }
    }
    for (int64_t i = 0; i < k; i++) {
        c[i] = lr_mod_neg(x, P[(size_t)k * ld + (size_t)i]);
    }
    free(H);
    return 0;
}

/*
 * out = A^e modulo a prime (working form) as r(A), r = x^e mod f, evaluated with
 * Paterson-Stockmeyer: powers A^0..A^s (s ~ sqrt k), blocks B_b = sum r_(bs+i) A^i, then
 * Horner in A^s: about 2 sqrt(k) products (BLAS) where binary powering needs about
 * 1.5 log2(e).  mul: the ring's matrix product.  Returns 0, or -1 when memory is short.
 */
int
lr_mp_ps_pow(const lr_mod_t *x, int64_t k, const uint64_t *A, uint64_t e, uint64_t *out,
             void (*mul)(const lr_mod_t *, int64_t, const uint64_t *, const uint64_t *, uint64_t *))
{
    int64_t s = 1;
    while (s * s < k) {
        s++;
    }
    const int64_t q = (k + s - 1) / s;
    const size_t kk = (size_t)(k * k);
    uint64_t *c = malloc(((size_t)(5 * k) + kk * (size_t)(s + 3)) * sizeof *c);
    if (c == NULL || lr_mp_charpoly_prime(x, k, A, c) < 0) {
        free(c);
        return -1;
    }
    uint64_t *r = c + k, *xp = r + k, *t = xp + k, *pw = t + 2 * k;
    uint64_t *Bm = pw + kk * (size_t)(s + 1), *T = Bm + kk;
    /* r = x^e mod f, left to right */
    memset(xp, 0, (size_t)k * sizeof *xp);
    xp[1 % k] = x->one;
    memset(r, 0, (size_t)k * sizeof *r);
    r[0] = x->one;
    for (int b = 63 - __builtin_clzll(e); b >= 0; b--) {
        lr_polymod_square(x, k, c, r, t);
        if ((e >> b) & 1u) {
            lr_polymod_mul(x, k, c, r, xp, r, t);
        }
    }
    /* A^0 .. A^s */
    memset(pw, 0, kk * sizeof *pw);
    for (int64_t i = 0; i < k; i++) {
        pw[i * k + i] = x->one;
    }
    memcpy(pw + kk, A, kk * sizeof *pw);
    for (int64_t i = 2; i <= s; i++) {
        mul(x, k, pw + (size_t)(i - 1) * kk, A, pw + (size_t)i * kk);
    }
    /* Horner over blocks, top block first */
    for (int64_t b = q - 1; b >= 0; b--) {
        const int64_t len = (b + 1) * s <= k ? s : k - b * s;
        for (size_t idx = 0; idx < kk; idx++) {
            lr_u128 acc = 0;
            uint64_t top = 0;
            for (int64_t i = 0; i < len; i++) {
                const lr_u128 v = (lr_u128)r[b * s + i] * pw[(size_t)i * kk + idx];
                acc += v;
                top += acc < v;
            }
            Bm[idx] = lr_mp_finish(x, acc, top);
        }
        if (b == q - 1) {
            memcpy(out, Bm, kk * sizeof *out);
        }
        else {
            mul(x, k, out, pw + (size_t)s * kk, T);
            for (size_t idx = 0; idx < kk; idx++) {
                out[idx] = lr_mod_add(x, T[idx], Bm[idx]);
            }
        }
    }
    free(c);
    return 0;
}

/* ---- many exponents modulo m < 2^32: plain residues, lazy 64-bit sums -------------------- */

/*
 * Residues below 2^32 make every product fit in 64 bits, so a sum of up to `lazy` products
 * (plus one residue) is accumulated in a uint64_t and reduced once (Barrett): the products
 * of a row times a scalar (lr_cs_axpy) are independent lanes the compiler vectorizes on
 * baseline x86-64 (32x32->64 multiplies).  Works for every 2 <= m < 2^32, odd or even:
 * Berkowitz's characteristic polynomial needs no division.
 */

/* x mod m for any 64-bit x: Barrett with bar = floor(2^64 / m), one correction. */
static inline uint64_t
lr_cs_red(const lr_mp_cs *cs, uint64_t v)
{
    const uint64_t q = (uint64_t)(((lr_u128)v * cs->bar) >> 64);
    const uint64_t r = v - q * cs->m;
    return r >= cs->m ? r - cs->m : r;
}

/* acc[j] += s v[j]: independent lanes (the vectorized kernel of this section). */
static inline void
lr_cs_axpy(uint64_t *restrict acc, uint32_t s, const uint32_t *restrict v, int64_t len)
{
    for (int64_t j = 0; j < len; j++) {
        acc[j] += (uint64_t)s * v[j];
    }
}

static void
lr_cs_reduce(const lr_mp_cs *cs, uint64_t *acc, int64_t len)
{
    for (int64_t j = 0; j < len; j++) {
        acc[j] = lr_cs_red(cs, acc[j]);
    }
}

/* One more round of products into acc[0..len): reduce first when `lazy` rounds are in. */
static inline void
lr_cs_round(const lr_mp_cs *cs, uint64_t *acc, int64_t len, int64_t *rounds)
{
    if (*rounds == cs->lazy) {
        lr_cs_reduce(cs, acc, len);
        *rounds = 0;
    }
    (*rounds)++;
}

/* out = a b mod f (out may alias a or b) when k products fit one lazy sum: the top
 * coefficients j >= k reduced independently, then folded in as sum q[j] (x^j mod f), so no
 * reduction waits on another; inlined for a constant k. */
static inline __attribute__((always_inline)) void
lr_cs_polymul_fits(const lr_mp_cs *cs, int64_t k, const uint32_t *a, const uint32_t *b,
                   uint32_t *out)
{
    uint64_t lo[2 * LR_MP_CH_MAX_K];
    uint32_t q[LR_MP_CH_MAX_K];
    for (int64_t d = 0; d < 2 * k - 1; d++) {
        lo[d] = 0;
    }
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = 0; j < k; j++) {
            lo[i + j] += (uint64_t)a[i] * b[j];
        }
    }
    for (int64_t d = k; d < 2 * k - 1; d++) {
        q[d - k] = (uint32_t)lr_cs_red(cs, lo[d]);
    }
    if (cs->lazy < 2 * k - 1) {
        /* k products fit, 2k - 1 do not: reduce before the k - 1 fold terms */
        for (int64_t d = 0; d < k; d++) {
            lo[d] = lr_cs_red(cs, lo[d]);
        }
    }
    for (int64_t j = 0; j < k - 1; j++) {
        const uint32_t *xr = cs->xr + j * k;
        for (int64_t d = 0; d < k; d++) {
            lo[d] += (uint64_t)q[j] * xr[d];
        }
    }
    for (int64_t d = 0; d < k; d++) {
        out[d] = (uint32_t)lr_cs_red(cs, lo[d]);
    }
}

/* out = a b mod f (out may alias a or b), any lazy: schoolbook product, then the top
 * coefficients folded down one at a time with x^d = x^(d-k) sum c[j] x^j. */
static void
lr_cs_polymul(lr_mp_cs *cs, const uint32_t *a, const uint32_t *b, uint32_t *out)
{
    const int64_t k = cs->k, len = 2 * k - 1;
    if (cs->lazy >= k) {
        /* constant k for the common orders: the compiler unrolls the kernel */
#define LR_CS_CASE(K) \
    case K: \
        lr_cs_polymul_fits(cs, K, a, b, out); \
        return;
        switch (k) {
            LR_CS_CASE(2)
            LR_CS_CASE(3)
            LR_CS_CASE(4)
            LR_CS_CASE(5)
            LR_CS_CASE(6)
            LR_CS_CASE(7)
            LR_CS_CASE(8)
            LR_CS_CASE(10)
            LR_CS_CASE(12)
            LR_CS_CASE(16)
            default:
                lr_cs_polymul_fits(cs, k, a, b, out);
                return;
        }
#undef LR_CS_CASE
    }
    uint64_t *acc = cs->acc;
    int64_t rounds = 0;
    memset(acc, 0, (size_t)len * sizeof *acc);
    for (int64_t i = 0; i < k; i++) {
        lr_cs_round(cs, acc, len, &rounds);
        lr_cs_axpy(acc + i, a[i], b, k);
    }
    for (int64_t d = len - 1; d >= k; d--) {
        const uint32_t q = (uint32_t)lr_cs_red(cs, acc[d]);
        lr_cs_round(cs, acc, d, &rounds);
        lr_cs_axpy(acc + d - k, q, cs->c, k);
    }
    for (int64_t j = 0; j < k; j++) {
        out[j] = (uint32_t)lr_cs_red(cs, acc[j]);
    }
}

/* out = sum over i < k of s[i] rows[i], each row len residues: reduced to [0, m). */
static void
lr_cs_combine(lr_mp_cs *cs, const uint32_t *s, const uint32_t *rows, int64_t len, uint64_t *acc)
{
    int64_t rounds = 0;
    memset(acc, 0, (size_t)len * sizeof *acc);
    for (int64_t i = 0; i < cs->k; i++) {
        lr_cs_round(cs, acc, len, &rounds);
        lr_cs_axpy(acc, s[i], rows + i * len, len);
    }
    lr_cs_reduce(cs, acc, len);
}

lr_status
lr_mp_cs_init(lr_mp_cs *cs, int64_t k, const uint64_t *A, uint64_t m, int64_t count)
{
    memset(cs, 0, sizeof *cs);
    cs->k = k;
    cs->m = m;
    cs->bar = (uint64_t)(((lr_u128)1 << 64) / m);
    /* lazy (m-1)^2 + (m-1) <= 2^64 - 1 */
    const lr_u128 sq = (lr_u128)(m - 1) * (m - 1);
    const lr_u128 lazy = sq == 0 ? 1 : (((lr_u128)1 << 64) - m) / sq;
    cs->lazy = lazy > 1024 ? 1024 : (int64_t)lazy;
    cs->w = lr_mp_ch_window(k, count);
    const size_t kk = (size_t)(k * k), nbmax = (size_t)((64 + cs->w - 1) / cs->w);
    /* c, base, r, t: k each; pw: k^3; the matrix and its powers: 2 kk */
    cs->c = malloc((4 * (size_t)k + kk * (size_t)k + 3 * kk) * sizeof *cs->c);
    cs->tab = malloc(nbmax * ((size_t)1 << cs->w) * (size_t)k * sizeof *cs->tab);
    cs->acc = malloc((kk + 2 * (size_t)k) * sizeof *cs->acc);
    lr_mod_t x;
    lr_mod_init(&x, m);
    uint64_t *w = malloc((kk + (size_t)k) * sizeof *w);
    if (cs->c == NULL || cs->tab == NULL || cs->acc == NULL || w == NULL) {
        free(w);
        return LR_ERR_NOMEM;
    }
    /* the characteristic polynomial in the generic working form, then plain */
    for (size_t i = 0; i < kk; i++) {
        w[i] = lr_mod_to(&x, A[i]);
    }
    if (lr_mp_charpoly(&x, k, w, w + kk) < 0) {
        free(w);
        return LR_ERR_NOMEM;
    }
    for (int64_t i = 0; i < k; i++) {
        cs->c[i] = (uint32_t)lr_mod_from(&x, w[kk + (size_t)i]);
    }
    free(w);
    cs->base = cs->c + k;
    cs->r = cs->base + k;
    cs->t = cs->r + k;
    cs->pw = cs->t + k;
    uint32_t *a32 = cs->pw + kk * (size_t)k, *P = a32 + kk;
    for (size_t i = 0; i < kk; i++) {
        a32[i] = (uint32_t)A[i];
    }
    /* pw + i kk = A^i, row by row as combinations of the rows of A */
    memset(cs->pw, 0, kk * sizeof *cs->pw);
    for (int64_t i = 0; i < k; i++) {
        cs->pw[i * k + i] = 1;
    }
    for (int64_t i = 1; i < k; i++) {
        const uint32_t *prev = cs->pw + (size_t)(i - 1) * kk;
        for (int64_t a = 0; a < k; a++) {
            lr_cs_combine(cs, prev + a * k, a32, k, cs->acc);
            for (int64_t b = 0; b < k; b++) {
                P[a * k + b] = (uint32_t)cs->acc[b];
            }
        }
        memcpy(cs->pw + (size_t)i * kk, P, kk * sizeof *P);
    }
    /* xr + j k = x^(k+j) mod f for j < k - 1: x^k is c, then one shift and fold each */
    cs->xr = P + kk;
    if (k > 1) {
        memcpy(cs->xr, cs->c, (size_t)k * sizeof *cs->xr);
    }
    for (int64_t j = 1; j < k - 1; j++) {
        const uint32_t *prev = cs->xr + (j - 1) * k, top = prev[k - 1];
        for (int64_t d = 0; d < k; d++) {
            const uint64_t v = (d > 0 ? prev[d - 1] : 0) + (uint64_t)top * cs->c[d];
            cs->xr[j * k + d] = (uint32_t)lr_cs_red(cs, v);
        }
    }
    /* x mod f */
    memset(cs->base, 0, (size_t)k * sizeof *cs->base);
    if (k == 1) {
        cs->base[0] = cs->c[0];
    }
    else {
        cs->base[1] = 1;
    }
    return LR_OK;
}

/* Blocks of the window table up to `need` (x^(d 2^(w b)) mod f for d < 2^w). */
static void
lr_cs_build(lr_mp_cs *cs, int need)
{
    const int64_t k = cs->k;
    const size_t W = (size_t)1 << cs->w;
    while (cs->nb < need) {
        uint32_t *blk = cs->tab + (size_t)cs->nb * W * (size_t)k;
        memset(blk, 0, (size_t)k * sizeof *blk);
        blk[0] = 1;
        memcpy(blk + k, cs->base, (size_t)k * sizeof *blk);
        for (size_t d = 2; d < W; d++) {
            lr_cs_polymul(cs, blk + (d - 1) * (size_t)k, cs->base, blk + d * (size_t)k);
        }
        lr_cs_polymul(cs, blk + (W - 1) * (size_t)k, cs->base, cs->base);
        cs->nb++;
    }
}

void
lr_mp_cs_prefetch(const lr_mp_cs *cs, uint64_t e)
{
    /* the table outgrows the caches: start the loads of every entry e needs at once */
    const int64_t k = cs->k;
    const int w = cs->w;
    const uint64_t mask = ((uint64_t)1 << w) - 1;
    for (int b = 0; b < cs->nb && (b == 0 || (e >> (w * b)) != 0); b++) {
        const uint32_t *p = cs->tab + (((size_t)b << w) + ((e >> (w * b)) & mask)) * (size_t)k;
        __builtin_prefetch(p);
        __builtin_prefetch(p + k - 1);
    }
}

void
lr_mp_cs_apply(lr_mp_cs *cs, uint64_t e, uint64_t *out)
{
    const int64_t k = cs->k;
    const int w = cs->w;
    const size_t W = (size_t)1 << w;
    const int need = (64 - __builtin_clzll(e) + w - 1) / w;
    lr_cs_build(cs, need);
    lr_mp_cs_prefetch(cs, e);
    const uint32_t *r = NULL; /* the product so far: a table entry, then cs->r */
    for (int b = 0; b < need; b++) {
        const uint64_t d = (e >> (w * b)) & (W - 1);
        if (d == 0) {
            continue;
        }
        const uint32_t *p = cs->tab + ((size_t)b * W + d) * (size_t)k;
        if (r != NULL) {
            lr_cs_polymul(cs, r, p, cs->r);
        }
        r = r == NULL ? p : cs->r;
    }
    /* A^e = sum r_i A^i */
    lr_cs_combine(cs, r, cs->pw, k * k, out);
}

void
lr_mp_cs_free(lr_mp_cs *cs)
{
    free(cs->c);
    free(cs->tab);
    free(cs->acc);
    memset(cs, 0, sizeof *cs);
}
