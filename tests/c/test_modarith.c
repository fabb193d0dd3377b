/*
 * lr_modarith.h at the moduli where its branches part: 1, 2, even, odd, just below 2^63 and
 * 2^64 (Montgomery sums that carry out of 64 bits), against 128-bit reference arithmetic.
 */
#include <stdint.h>

#include "lr_ctest.h"
#include "lr_modarith.h"

static uint64_t
ref_mul(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((lr_u128)a * b) % m);
}

int
main(void)
{
    static const uint64_t moduli[] = {1,
                                      2,
                                      3,
                                      10,
                                      1000000007ull,
                                      (1ull << 62) + 1,
                                      9223372036854775783ull,
                                      18446744073709551557ull,
                                      18446744073709551615ull,
                                      18446744073709551614ull};
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (size_t t = 0; t < sizeof moduli / sizeof moduli[0]; t++) {
        uint64_t m = moduli[t];
        lr_mod_t x;
        lr_mod_init(&x, m);
        for (int i = 0; i < 2000; i++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            uint64_t a = i < 4 ? m - 1 - (uint64_t)i % m : seed % m;
            uint64_t b = (seed * 0x2545f4914f6cdd1dull) % m;
            if (i < 4 && m > 4) {
                b = m - 1;
            }
            uint64_t ax = lr_mod_to(&x, a), bx = lr_mod_to(&x, b);
            LR_CHECK(lr_mod_from(&x, lr_mod_mul(&x, ax, bx)) == ref_mul(a, b, m));
            LR_CHECK(lr_mod_from(&x, lr_mod_add(&x, ax, bx)) == (uint64_t)(((lr_u128)a + b) % m));
            LR_CHECK(lr_mod_from(&x, lr_mod_sub(&x, ax, bx)) ==
                     (uint64_t)(((lr_u128)a + m - b) % m));
            uint64_t inv;
            if (m > 1 && lr_mod_inverse_plain(a, m, &inv)) {
                LR_CHECK(ref_mul(a, inv, m) == 1);
            }
        }
        LR_CHECK(lr_mod_reduce_i64(INT64_MIN, m) ==
                 (uint64_t)((m - (uint64_t)((((lr_u128)1) << 63) % m)) % m));
        LR_CHECK(lr_mod_reduce_i64(-1, m) == m - 1);
    }
    return lr_ctest_finish("test_modarith");
}
