/*
 * The inverse modulo 2^64 (arith/lr_modarith.h: LR_INV_2_64, lr_inv_2_64, and through it
 * lr_mod_init's Montgomery constant): Newton's iteration from (3a) ^ 2 must reach all 64 bits
 * for every odd residue class, so every odd a below 2^20 (all classes mod 2^20), every class
 * mod 2^20 lifted to the top of the range, single-bit and all-ones patterns, and random a.
 */
#include <stdint.h>

#include "lr_ctest.h"
#include "lr_modarith.h"

/* a compile-time constant, as the trial-division table of lr_primality.c needs */
static const uint64_t lr_const_inv[] = {LR_INV_2_64(UINT64_C(3)), LR_INV_2_64(UINT64_MAX)};

static void
check_inverse(uint64_t a)
{
    LR_CHECK(a * lr_inv_2_64(a) == 1);
}

int
main(void)
{
    for (uint64_t a = 1; a < ((uint64_t)1 << 20); a += 2) {
        check_inverse(a);
        check_inverse(a | ((uint64_t)0xfff << 52)); /* same class mod 2^20, high bits set */
        check_inverse(0u - a); /* the negated class */
    }
    for (int b = 1; b < 64; b++) {
        check_inverse(((uint64_t)1 << b) | 1u);
        check_inverse(((uint64_t)1 << b) - 1u);
        check_inverse(UINT64_MAX ^ ((uint64_t)1 << b));
    }
    uint64_t seed = 0x243f6a8885a308d3ull;
    for (int i = 0; i < 1000000; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        check_inverse(seed | 1u);
    }
    LR_CHECK(lr_const_inv[0] * 3u == 1);
    LR_CHECK(lr_const_inv[1] == UINT64_MAX); /* (-1)^-1 = -1 */
    LR_CHECK(lr_inv_2_64(3) == lr_const_inv[0]);
    /* lr_mod_init's Montgomery constant is the same inverse */
    static const uint64_t moduli[] = {
        3, 5, 1000000007ull, (1ull << 61) - 1, 18446744073709551557ull, UINT64_MAX};
    for (size_t t = 0; t < sizeof moduli / sizeof moduli[0]; t++) {
        lr_mod_t x;
        lr_mod_init(&x, moduli[t]);
        LR_CHECK(x.odd && x.minv * moduli[t] == 1);
        LR_CHECK(lr_mont_pow(&x, lr_mod_to(&x, 2), 10) == lr_mod_to(&x, 1024 % moduli[t]));
    }
    return lr_ctest_finish("test_inverse");
}
