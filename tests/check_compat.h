/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The unit tests are written against today's Check; RHEL 6 has Check
 * 0.9.8 and RHEL 7 0.9.9.  Every test gets this header first (-include,
 * Makefile.am) so that the assertions Check added later exist there too,
 * built only from what 0.9.8 has: ck_assert_msg.
 *
 *   0.9.8   ck_assert, ck_assert_msg, ck_abort, ck_abort_msg,
 *           ck_assert_int_eq/ne (int only: "%d"), ck_assert_str_eq/ne
 *   0.9.9   ck_assert_int_lt/le/gt/ge, ck_assert_str_lt/le/gt/ge
 *   0.9.10  intmax_t for ck_assert_int_*, ck_assert_uint_*, ck_assert_ptr_eq/ne
 *   0.11.0  ck_assert_ptr_null/nonnull, ck_assert_mem_eq/ne
 *
 * tests/check-api.sh fails when a test uses a Check name that is neither
 * in 0.9.8 nor defined here.
 */
#ifndef ENTROPYD_CHECK_COMPAT_H
#define ENTROPYD_CHECK_COMPAT_H

/* First, before any system header: it comes in through -include, ahead
 * of the file's own config.h, whose _GNU_SOURCE must still count. */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

/* ENTROPYD_CHECK_OLD: use the definitions below with any Check, so that
 * tests/check-api.sh compiles them here, where Check is new. */
#if defined(ENTROPYD_CHECK_OLD) || (CHECK_MAJOR_VERSION == 0 && \
	(CHECK_MINOR_VERSION < 9 || (CHECK_MINOR_VERSION == 9 && CHECK_MICRO_VERSION < 10)))
/* Before 0.9.10 the integer assertions printed with "%d" (wrong for
 * long, size_t, uint64_t) and evaluated their arguments twice. */
#define ENTROPYD_CK_CMP(type, fmt, X, OP, Y) do { \
	type ck_x_ = (X), ck_y_ = (Y); \
	ck_assert_msg(ck_x_ OP ck_y_, "Assertion '%s' failed: %s == %" fmt ", %s == %" fmt, \
		#X " " #OP " " #Y, #X, ck_x_, #Y, ck_y_); \
} while (0)
#undef ck_assert_int_eq
#undef ck_assert_int_ne
#undef ck_assert_int_lt
#undef ck_assert_int_le
#undef ck_assert_int_gt
#undef ck_assert_int_ge
#undef ck_assert_uint_eq
#undef ck_assert_uint_ne
#undef ck_assert_uint_lt
#undef ck_assert_uint_le
#undef ck_assert_uint_gt
#undef ck_assert_uint_ge
#undef ck_assert_ptr_eq
#undef ck_assert_ptr_ne
#undef ck_assert_ptr_null
#undef ck_assert_ptr_nonnull
#undef ck_assert_mem_eq
#define ck_assert_int_eq(X, Y) ENTROPYD_CK_CMP(intmax_t, PRIdMAX, X, ==, Y)
#define ck_assert_int_ne(X, Y) ENTROPYD_CK_CMP(intmax_t, PRIdMAX, X, !=, Y)
#define ck_assert_int_lt(X, Y) ENTROPYD_CK_CMP(intmax_t, PRIdMAX, X, <, Y)
#define ck_assert_int_le(X, Y) ENTROPYD_CK_CMP(intmax_t, PRIdMAX, X, <=, Y)
#define ck_assert_int_gt(X, Y) ENTROPYD_CK_CMP(intmax_t, PRIdMAX, X, >, Y)
#define ck_assert_int_ge(X, Y) ENTROPYD_CK_CMP(intmax_t, PRIdMAX, X, >=, Y)
#define ck_assert_uint_eq(X, Y) ENTROPYD_CK_CMP(uintmax_t, PRIuMAX, X, ==, Y)
#define ck_assert_uint_ne(X, Y) ENTROPYD_CK_CMP(uintmax_t, PRIuMAX, X, !=, Y)
#define ck_assert_uint_lt(X, Y) ENTROPYD_CK_CMP(uintmax_t, PRIuMAX, X, <, Y)
#define ck_assert_uint_le(X, Y) ENTROPYD_CK_CMP(uintmax_t, PRIuMAX, X, <=, Y)
#define ck_assert_uint_gt(X, Y) ENTROPYD_CK_CMP(uintmax_t, PRIuMAX, X, >, Y)
#define ck_assert_uint_ge(X, Y) ENTROPYD_CK_CMP(uintmax_t, PRIuMAX, X, >=, Y)
#define ck_assert_ptr_eq(X, Y) do { \
	const void *ck_x_ = (X), *ck_y_ = (Y); \
	ck_assert_msg(ck_x_ == ck_y_, "Assertion '%s' failed: %p != %p", #X " == " #Y, ck_x_, ck_y_); \
} while (0)
#define ck_assert_ptr_ne(X, Y) do { \
	const void *ck_x_ = (X), *ck_y_ = (Y); \
	ck_assert_msg(ck_x_ != ck_y_, "Assertion '%s' failed: both %p", #X " != " #Y, ck_x_); \
} while (0)
#endif

#ifndef ck_assert_ptr_null
#define ck_assert_ptr_null(X) ck_assert_msg((X) == NULL, "Assertion '%s == NULL' failed", #X)
#define ck_assert_ptr_nonnull(X) ck_assert_msg((X) != NULL, "Assertion '%s != NULL' failed", #X)
#endif

#ifndef ck_assert_mem_eq
#define ck_assert_mem_eq(X, Y, L) \
	ck_assert_msg(memcmp((X), (Y), (L)) == 0, "Assertion '%s' failed", "memcmp(" #X ", " #Y ", " #L ") == 0")
#endif

#endif
