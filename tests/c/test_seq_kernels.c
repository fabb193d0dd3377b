/*
 * The modular stepping kernels (rec/lr_seq_kernels.c) against plain 128-bit stepping: every
 * reduction kind (Montgomery, Barrett, powers of two, the small signed-coefficient and
 * narrow 64-bit sums, the blocked SSE2 kernel) over orders 1..17, coefficient sets that are
 * random residues, small signed numbers or all negative, and moduli 1, 2, 2^64-1, even and
 * odd composites, primes near 2^31, 2^32, 2^62, 2^63 and random ones.  Each run covers
 * several blocks of LR_SEQ_BLOCK plus a tail, and is also split at an offset that is no
 * multiple of the block (the driver's chunks start anywhere).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lr_core.h"
#include "lr_ctest.h"
#include "lr_sequence.h"

#define MAXK 17
#define LEN (MAXK + 5 * LR_SEQ_BLOCK + 7)

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* a[j] = sum c[i] a[j-k+i] mod m for k <= j < n, one product at a time in 128 bits. */
static void
ref_fill(int64_t k, const uint64_t *c, uint64_t m, uint64_t *a, int64_t n)
{
    for (int64_t j = k; j < n; j++) {
        lr_u128 acc = 0;
        for (int64_t i = 0; i < k; i++) {
            acc = (acc + (lr_u128)c[i] * a[j - k + i]) % m;
        }
        a[j] = (uint64_t)acc;
    }
}

/* Fill with the kernel, blocked or not, in two calls split at `split`; 1 if it matches. */
static int
kernel_matches(int64_t k, const uint64_t *c, uint64_t m, const uint64_t *want, int blocked,
               int64_t split)
{
    uint64_t a[LEN], cw[MAXK], tab[MAXK * LR_SEQ_BLOCK];
    lr_seq_mod_t ctx;
    if (lr_seq_mod_init(&ctx, k, c, m, cw) != LR_OK) {
        return 0;
    }
    if (blocked && !lr_seq_mod_block(&ctx, c, tab)) {
        return 1; /* no blocked kernel for this m and k: nothing to compare */
    }
    memcpy(a, want, (size_t)k * sizeof a[0]);
    lr_seq_fill_mod(&ctx, a, k, split);
    lr_seq_fill_mod(&ctx, a, split, LEN);
    return memcmp(a, want, sizeof a) == 0;
}

static void
check_one(int64_t k, const uint64_t *c, uint64_t m)
{
    uint64_t want[LEN];
    for (int64_t i = 0; i < k; i++) {
        want[i] = rng() % m;
    }
    ref_fill(k, c, m, want, LEN);
    const int64_t splits[3] = {k, k + 2 * LR_SEQ_BLOCK + 3, LEN - 1};
    for (int blocked = 0; blocked < 2; blocked++) {
        for (int s = 0; s < 3; s++) {
            int ok = kernel_matches(k, c, m, want, blocked, splits[s]);
            LR_CHECK(ok);
            if (!ok) {
                fprintf(stderr, "  m=%llu k=%lld blocked=%d split=%lld\n", (unsigned long long)m,
                        (long long)k, blocked, (long long)splits[s]);
            }
        }
    }
}

int
main(void)
{
    const uint64_t mods[] = {
        1,
        2,
        3,
        4,
        5,
        6,
        1000,
        600000000u,
        999999999u,
        111546435u,
        998244353u,
        1000000007u,
        2147483629u,
        2147483647u,
        2147483659u,
        4294967291u,
        4294967311u,
        10000000000000000u,
        1000000000000000000u,
        2305843009213693951u,
        4611686018427387847u,
        9223372036854775783u,
        9223372036854775808u,
        18446744073709551557u,
        18446744073709551614u,
        UINT64_MAX,
        0,
        0,
        0,
        0,
        0,
        0 /* random: below 2^31 odd, below 2^31 even, 32, 48, 63, 64 bits */
    };
    const int nmods = (int)(sizeof mods / sizeof mods[0]);
    const int64_t orders[] = {1, 2, 3, 4, 5, 8, 15, 16, 17};
    for (int mi = 0; mi < nmods; mi++) {
        uint64_t m = mods[mi];
        if (m == 0) {
            static const int bits[6] = {31, 31, 32, 48, 63, 64};
            int b = bits[(mi - (nmods - 6)) % 6];
            m = (b == 64 ? rng() : rng() >> (64 - b)) | 1u;
            if (mi == nmods - 5) {
                m ^= 1u; /* the even one */
            }
            m = m < 3 ? 3 : m;
        }
        for (size_t oi = 0; oi < sizeof orders / sizeof orders[0]; oi++) {
            int64_t k = orders[oi];
            uint64_t c[MAXK];
            for (int pattern = 0; pattern < 4; pattern++) {
                for (int64_t i = 0; i < k; i++) {
                    int64_t d = (int64_t)(rng() % 7) - 3; /* small signed */
                    switch (pattern) {
                        case 0: /* random residues */
                            c[i] = rng() % m;
                            break;
                        case 1: /* small signed numbers as residues */
                            c[i] = d >= 0 ? (uint64_t)d % m : m - (uint64_t)(-d) % m;
                            c[i] %= m;
                            break;
                        case 2: /* every coefficient -1: the small sum reaches its bound */
                            c[i] = m - 1;
                            break;
                        default: /* ones: Fibonacci, Tribonacci, ... */
                            c[i] = 1 % m;
                            break;
                    }
                }
                check_one(k, c, m);
            }
        }
    }
    return lr_ctest_finish("test_seq_kernels");
}
