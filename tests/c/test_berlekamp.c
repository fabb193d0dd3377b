/*
 * lr_bm_mod against sequences with known minimal recurrences, at moduli where the edge cases
 * live: 2, small primes, 2^61-1 and 2^64-59 (products need the full 128-bit path).
 */
#include <stdint.h>
#include <string.h>

#include "lr_berlekamp.h"
#include "lr_ctest.h"
#include "lr_modarith.h"

#define LEN 64

/* Fill s[0..len) from a recurrence c (seed order) and initial values, modulo p. */
static void
fill(uint64_t *s, int64_t len, const uint64_t *c, const uint64_t *init, int64_t k, uint64_t p)
{
    for (int64_t i = 0; i < len; i++) {
        if (i < k) {
            s[i] = init[i] % p;
            continue;
        }
        lr_u128 acc = 0;
        for (int64_t j = 0; j < k; j++) {
            acc = (acc + (lr_u128)c[j] * s[i - k + j]) % p;
        }
        s[i] = (uint64_t)acc;
    }
}

/* The recurrence found regenerates the whole sequence. */
static int
regenerates(const uint64_t *s, int64_t len, const uint64_t *c, int64_t L, uint64_t p)
{
    for (int64_t i = L; i < len; i++) {
        lr_u128 acc = 0;
        for (int64_t j = 0; j < L; j++) {
            acc = (acc + (lr_u128)c[j] * s[i - L + j]) % p;
        }
        if ((uint64_t)acc != s[i]) {
            return 0;
        }
    }
    return 1;
}

int
main(void)
{
    static const uint64_t primes[] = {
        2, 3, 7, 998244353, 2305843009213693951ull, 18446744073709551557ull};
    uint64_t s[LEN], c[LEN], work[LR_BM_WORK(LEN)];

    for (size_t t = 0; t < sizeof primes / sizeof primes[0]; t++) {
        uint64_t p = primes[t];
        /* Fibonacci: order 2, c = [1, 1] */
        const uint64_t fc[] = {1, 1}, fi[] = {0, 1};
        fill(s, LEN, fc, fi, 2, p);
        int64_t L = lr_bm_mod(s, LEN, p, c, work);
        LR_CHECK(L == 2 && c[0] == 1 % p && c[1] == 1 % p);

        /* order 5 with a coefficient near p */
        const uint64_t gc[] = {p - 1, 3, 0, 5, p - 2}, gi[] = {1, 0, 0, 0, 0};
        fill(s, LEN, gc, gi, 5, p);
        L = lr_bm_mod(s, LEN, p, c, work);
        LR_CHECK(L <= 5 && regenerates(s, LEN, c, L, p));
        if (p > 7) {
            LR_CHECK(L == 5);
            for (int j = 0; j < 5; j++) {
                LR_CHECK(c[j] == gc[j] % p);
            }
        }

        /* all zeros: order 0 */
        memset(s, 0, sizeof s);
        LR_CHECK(lr_bm_mod(s, LEN, p, c, work) == 0);

        /* one impulse at index 9: the shortest recurrence has order 10 */
        s[9] = 1;
        L = lr_bm_mod(s, LEN, p, c, work);
        LR_CHECK(L == 10 && regenerates(s, LEN, c, L, p));

        /* empty and one-term sequences */
        LR_CHECK(lr_bm_mod(s, 0, p, c, work) == 0);
        s[0] = 1;
        LR_CHECK(lr_bm_mod(s, 1, p, c, work) == 1);
    }
    return lr_ctest_finish("test_berlekamp");
}
