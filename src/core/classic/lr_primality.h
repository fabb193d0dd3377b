/*
 * Primality of 64-bit integers (lr_primality.c): what the recurrence kernels need from the
 * classic half (Bostan-Mori and the order-2 split form ask whether m is prime, the certifier
 * picks primes), without the Lucas-sequence declarations of lr_classic.h.
 */
#ifndef LR_PRIMALITY_H
#define LR_PRIMALITY_H

#include <stddef.h>
#include <stdint.h>

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
void lr_is_prime_u64_many(size_t count, const char *in, ptrdiff_t is, int is_signed, char *out,
                          ptrdiff_t os);

/* lr_is_strong_lucas_prp_u64 for many n (same conventions as lr_is_prime_u64_many). */
void lr_is_strong_lucas_prp_u64_many(size_t count, const char *in, ptrdiff_t is, int is_signed,
                                     char *out, ptrdiff_t os);

/* Jacobi symbol (a/n) for odd n >= 1. */
int lr_jacobi_u64(uint64_t a, uint64_t n);

#endif /* LR_PRIMALITY_H */
