/*
 * Type-generic kernels for one term of a linear recurrence, instantiated once per ring by
 * lr_term.c (PyWavelets-style template: define the macros below, then include this file).
 *
 *   LR_SUFFIX            name suffix of the generated functions (i64, u64w, mod, f64)
 *   LR_T                 element type
 *   LR_CTX               context type (modulus data, or a dummy)
 *   LR_MUL(x, a, b, p)   *p = a*b; evaluates to nonzero on overflow
 *   LR_ADD(x, a, b, p)   *p = a+b; nonzero on overflow
 *   LR_NEG(x, a, p)      *p = -a;  nonzero on overflow
 *   LR_INV(x, a, p)      *p = 1/a; nonzero when a is not invertible
 *   LR_ZERO(x), LR_ONE(x)
 *   LR_GEMM(x, k, A, B, C)  optional: C = A*B for k x k row-major; evaluates to nonzero when
 *                        it handled the product (BLAS), zero to use the generic loops.
 *   LR_RESCALE(v, len, e)   optional (floating point): scale v by a power of two so that its
 *                        largest entry is about 1, adding the exponent to *e; the true value
 *                        is v * 2^e.  Keeps intermediates finite, so a result overflows to inf
 *                        (or underflows) only when the result itself does.
 *   LR_LDEXP(v, e)       with LR_RESCALE: v * 2^e.
 *
 * All functions return 0, LR_ERR_OVERFLOW or LR_ERR_BACKWARDS.  Work arrays are caller-owned.
 */

#define LR_CAT_(a, b) a##_##b
#define LR_CAT(a, b) LR_CAT_(a, b)
#define LR_FN(name) LR_CAT(name, LR_SUFFIX)

#define LR_TRY(expr) do { if (expr) { return LR_ERR_OVERFLOW; } } while (0)

#ifdef LR_RESCALE
#define LR_SCALE(v, len, e) LR_RESCALE((v), (len), (e))
#define LR_UNSCALE(v, e) LR_LDEXP((v), (e))
#else
#define LR_SCALE(v, len, e) ((void)(e))
#define LR_UNSCALE(v, e) (v)
#endif

/*
 * Coefficients and initial values of the reversed recurrence b[t] = a[k-1-t], so that a
 * negative index n becomes b[k-1+|n|]:  b[t+k] = sum d[j] b[t+j] with d[0] = 1/c[0] and
 * d[j] = -c[k-j]/c[0].
 */
static int
LR_FN(lr_reverse)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init,
                  LR_T *d, LR_T *b)
{
    LR_T inv0;
    if (LR_INV(x, c[0], &inv0)) {
        return LR_ERR_BACKWARDS;
    }
    d[0] = inv0;
    for (int64_t j = 1; j < k; j++) {
        LR_T p;
        LR_TRY(LR_MUL(x, c[k - j], inv0, &p));
        LR_TRY(LR_NEG(x, p, &d[j]));
    }
    for (int64_t t = 0; t < k; t++) {
        b[t] = init[k - 1 - t];
    }
    return 0;
}

/* r <- r^2 mod f, where f(x) = x^k - sum c[i] x^i.  t: scratch of 2k-1 elements. */
static int
LR_FN(lr_poly_square)(const LR_CTX *x, int64_t k, const LR_T *c, LR_T *r, LR_T *t)
{
    LR_T p;
    for (int64_t i = 0; i < 2 * k - 1; i++) {
        t[i] = LR_ZERO(x);
    }
    /* cross terms once, doubled, then the diagonal: about k^2/2 products */
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = i + 1; j < k; j++) {
            LR_TRY(LR_MUL(x, r[i], r[j], &p));
            LR_TRY(LR_ADD(x, t[i + j], p, &t[i + j]));
        }
    }
    for (int64_t i = 1; i < 2 * k - 2; i++) {
        LR_TRY(LR_ADD(x, t[i], t[i], &t[i]));
    }
    for (int64_t i = 0; i < k; i++) {
        LR_TRY(LR_MUL(x, r[i], r[i], &p));
        LR_TRY(LR_ADD(x, t[2 * i], p, &t[2 * i]));
    }
    /* reduce from the top: x^d = x^(d-k) * sum c[i] x^i */
    for (int64_t d = 2 * k - 2; d >= k; d--) {
        LR_T q = t[d];
        for (int64_t i = 0; i < k; i++) {
            LR_TRY(LR_MUL(x, q, c[i], &p));
            LR_TRY(LR_ADD(x, t[d - k + i], p, &t[d - k + i]));
        }
    }
    for (int64_t i = 0; i < k; i++) {
        r[i] = t[i];
    }
    return 0;
}

/* r <- r*x mod f */
static int
LR_FN(lr_poly_times_x)(const LR_CTX *x, int64_t k, const LR_T *c, LR_T *r)
{
    LR_T top = r[k - 1], p;
    for (int64_t i = k - 1; i > 0; i--) {
        r[i] = r[i - 1];
    }
    r[0] = LR_ZERO(x);
    for (int64_t i = 0; i < k; i++) {
        LR_TRY(LR_MUL(x, top, c[i], &p));
        LR_TRY(LR_ADD(x, r[i], p, &r[i]));
    }
    return 0;
}

/* dot product sum r[i]*v[i] */
static int
LR_FN(lr_dot)(const LR_CTX *x, int64_t k, const LR_T *r, const LR_T *v, LR_T *out)
{
    LR_T acc = LR_ZERO(x), p;
    for (int64_t i = 0; i < k; i++) {
        LR_TRY(LR_MUL(x, r[i], v[i], &p));
        LR_TRY(LR_ADD(x, acc, p, &acc));
    }
    *out = acc;
    return 0;
}

/*
 * Fiduccia's method for a non-negative index: a[n] = sum r[i] a[i] with
 * r(x) = x^n mod f(x).  O(k^2 log n).  work: 3k elements.
 */
static int
LR_FN(lr_poly_forward)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init,
                       uint64_t n, LR_T *out, LR_T *work)
{
    if (n < (uint64_t)k) {
        *out = init[n];
        return 0;
    }
    LR_T *r = work, *t = work + k;
    int hb = 63;
    while (!((n >> hb) & 1u)) {
        hb--;
    }
    /* start from the longest prefix of n's bits whose monomial needs no reduction */
    uint64_t m = 0;
    int i = hb;
    while (i >= 0 && 2 * m + ((n >> i) & 1u) < (uint64_t)k) {
        m = 2 * m + ((n >> i) & 1u);
        i--;
    }
    for (int64_t j = 0; j < k; j++) {
        r[j] = LR_ZERO(x);
    }
    r[m] = LR_ONE(x);
    int64_t e = 0;   /* scale exponent of r (floating point only) */
    for (; i >= 0; i--) {
        int st = LR_FN(lr_poly_square)(x, k, c, r, t);
        if (st) {
            return st;
        }
        e = lr_scale_double(e);
        if ((n >> i) & 1u) {
            st = LR_FN(lr_poly_times_x)(x, k, c, r);
            if (st) {
                return st;
            }
        }
        LR_SCALE(r, k, &e);
    }
    int st = LR_FN(lr_dot)(x, k, r, init, out);
    *out = LR_UNSCALE(*out, e);
    return st;
}

/* Polynomial method for any index.  work: 5k elements. */
static int
LR_FN(lr_poly_term)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init,
                    lr_index_t n, LR_T *out, LR_T *work)
{
    if (!n.neg) {
        return LR_FN(lr_poly_forward)(x, k, c, init, n.mag, out, work);
    }
    LR_T *d = work + 3 * k, *b = work + 4 * k;
    int st = LR_FN(lr_reverse)(x, k, c, init, d, b);
    if (st) {
        return st;
    }
    return LR_FN(lr_poly_forward)(x, k, d, b, (uint64_t)(k - 1) + n.mag, out, work);
}

/* C = A*B for k x k row-major matrices (i-k-j order streams rows of B and C). */
static int
LR_FN(lr_mat_mul)(const LR_CTX *x, int64_t k, const LR_T *A, const LR_T *B, LR_T *C)
{
#ifdef LR_GEMM
    if (LR_GEMM(x, k, A, B, C)) {
        return 0;
    }
#endif
    LR_T p;
    for (int64_t i = 0; i < k * k; i++) {
        C[i] = LR_ZERO(x);
    }
    for (int64_t i = 0; i < k; i++) {
        for (int64_t l = 0; l < k; l++) {
            LR_T a = A[i * k + l];
            for (int64_t j = 0; j < k; j++) {
                LR_TRY(LR_MUL(x, a, B[l * k + j], &p));
                LR_TRY(LR_ADD(x, C[i * k + j], p, &C[i * k + j]));
            }
        }
    }
    return 0;
}

/*
 * Companion-matrix power for a non-negative index: state s_n = C^n s_0, with the powers
 * C^(2^j) applied to the state vector as their bits appear.  O(k^3 log n).
 * work: 2k^2 + 2k elements.
 */
static int
LR_FN(lr_matrix_forward)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init,
                         uint64_t n, LR_T *out, LR_T *work)
{
    if (n < (uint64_t)k) {
        *out = init[n];
        return 0;
    }
    LR_T *P = work, *Q = work + k * k, *s = work + 2 * k * k, *u = s + k;
    for (int64_t i = 0; i < k * k; i++) {
        P[i] = LR_ZERO(x);
    }
    for (int64_t i = 0; i + 1 < k; i++) {
        P[i * k + i + 1] = LR_ONE(x);
    }
    for (int64_t j = 0; j < k; j++) {
        P[(k - 1) * k + j] = c[j];
        s[j] = init[j];
    }
    int64_t ep = 0, es = 0;   /* scale exponents of P and s (floating point only) */
    for (;;) {
        if (n & 1u) {
            for (int64_t i = 0; i < k; i++) {
                int st = LR_FN(lr_dot)(x, k, P + i * k, s, &u[i]);
                if (st) {
                    return st;
                }
            }
            for (int64_t i = 0; i < k; i++) {
                s[i] = u[i];
            }
            es = lr_scale_add(es, ep);
            LR_SCALE(s, k, &es);
        }
        n >>= 1;
        if (n == 0) {
            break;
        }
        int st = LR_FN(lr_mat_mul)(x, k, P, P, Q);
        if (st) {
            return st;
        }
        LR_T *tmp = P;
        P = Q;
        Q = tmp;
        ep = lr_scale_double(ep);
        LR_SCALE(P, k * k, &ep);
    }
    *out = LR_UNSCALE(s[0], es);
    return 0;
}

/* Matrix method for any index.  work: 2k^2 + 4k elements. */
static int
LR_FN(lr_matrix_term)(const LR_CTX *x, int64_t k, const LR_T *c, const LR_T *init,
                      lr_index_t n, LR_T *out, LR_T *work)
{
    if (!n.neg) {
        return LR_FN(lr_matrix_forward)(x, k, c, init, n.mag, out, work);
    }
    LR_T *d = work + 2 * k * k + 2 * k, *b = d + k;
    int st = LR_FN(lr_reverse)(x, k, c, init, d, b);
    if (st) {
        return st;
    }
    return LR_FN(lr_matrix_forward)(x, k, d, b, (uint64_t)(k - 1) + n.mag, out, work);
}

#undef LR_TRY
#undef LR_SCALE
#undef LR_UNSCALE
#undef LR_FN
#undef LR_CAT
#undef LR_CAT_
