/*
 * A minimal C test harness for the plain-C core: each test_*.c file is one program whose
 * checks count failures; tests/c/run.sh builds them with -Werror and runs them.
 */
#ifndef LR_CTEST_H
#define LR_CTEST_H

#include <stdio.h>

static int lr_ctest_failures = 0;
static int lr_ctest_checks = 0;

#define LR_CHECK(cond) \
    do { \
        lr_ctest_checks++; \
        if (!(cond)) { \
            lr_ctest_failures++; \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        } \
    } while (0)

/* Print the summary line and return the process exit status. */
static int
lr_ctest_finish(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, lr_ctest_checks, lr_ctest_failures);
    return lr_ctest_failures != 0;
}

#endif /* LR_CTEST_H */
