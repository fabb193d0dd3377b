/*
 * Berlekamp-Massey modulo a prime, in Montgomery form (lr_modarith.h).  O(len^2) products and
 * one modular inverse per length change.
 */
#include "lr_berlekamp.h"

#include <string.h>

#include "lr_modarith.h"

int64_t
lr_bm_mod(const uint64_t *s, int64_t len, uint64_t p, uint64_t *c, uint64_t *work)
{
    lr_mod_t x;
    lr_mod_init(&x, p);
    /* cur = C(x) and prev = B(x), the connection polynomials, 1 + C1 x + ...; tmp a copy */
    uint64_t *cur = work, *prev = work + (len + 1), *tmp = work + 2 * (len + 1);
    memset(cur, 0, (size_t)(len + 1) * sizeof *cur);
    memset(prev, 0, (size_t)(len + 1) * sizeof *prev);
    cur[0] = prev[0] = x.one;
    int64_t L = 0, shift = 1;
    uint64_t b = x.one; /* the discrepancy when prev was current */

    for (int64_t i = 0; i < len; i++) {
        /* discrepancy d = s[i] + sum C_j s[i-j] */
        uint64_t d = lr_mod_to(&x, s[i]);
        for (int64_t j = 1; j <= L; j++) {
            d = lr_mod_add(&x, d, lr_mod_mul(&x, cur[j], lr_mod_to(&x, s[i - j])));
        }
        if (d == 0) {
            shift++;
            continue;
        }
        /* coef = d / b; C(x) -= coef x^shift B(x) */
        uint64_t binv = 0;
        lr_mod_inverse_plain(lr_mod_from(&x, b), p, &binv);
        uint64_t coef = lr_mod_mul(&x, d, lr_mod_to(&x, binv));
        if (2 * L <= i) {
            memcpy(tmp, cur, (size_t)(len + 1) * sizeof *tmp);
        }
        for (int64_t j = 0; j + shift <= len; j++) {
            cur[j + shift] = lr_mod_sub(&x, cur[j + shift], lr_mod_mul(&x, coef, prev[j]));
        }
        if (2 * L <= i) {
            L = i + 1 - L;
            memcpy(prev, tmp, (size_t)(len + 1) * sizeof *prev);
            b = d;
            shift = 1;
        }
        else {
            shift++;
        }
    }
    /* s[i] = -sum_{j>=1} C_j s[i-j]: c[L-j] = -C_j */
    for (int64_t j = 1; j <= L; j++) {
        c[L - j] = lr_mod_from(&x, lr_mod_neg(&x, cur[j]));
    }
    return L;
}
