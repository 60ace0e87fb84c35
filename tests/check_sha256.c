/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/sha256.c: the examples of FIPS 180-4's companion
 * document (NIST, "SHA256.pdf": one block, two blocks, the 896-bit
 * message), the empty message, one million 'a', two vectors of NIST's CAVP
 * SHA256ShortMsg.rsp, messages whose padding ends exactly at a block
 * boundary or spills into the next one, and the same digests whatever the
 * pieces the message comes in.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void hex(const uint8_t *d, char out[2 * SHA256_DIGEST_BYTES + 1])
{
	size_t i;

	for (i = 0; i < SHA256_DIGEST_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* The digest of len bytes of msg given in pieces of at most 'piece' bytes. */
static void digest_of(const void *msg, size_t len, size_t piece, char out[2 * SHA256_DIGEST_BYTES + 1])
{
	const uint8_t *p = msg;
	uint8_t d[SHA256_DIGEST_BYTES];
	struct sha256_ctx ctx;
	size_t n;

	sha256_init(&ctx);
	while (len) {
		n = len < piece ? len : piece;
		sha256_update(&ctx, p, n);
		p += n;
		len -= n;
	}
	sha256_final(&ctx, d);
	hex(d, out);
}

static const struct {
	const char *msg;
	const char *digest;
} vectors[] = {
	/* FIPS 180-4 examples */
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
	  "klmnopqrlmnopqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	/* CAVP SHA256ShortMsg: Len = 8, Msg = d3; Len = 16, Msg = 11af */
	{ "\xd3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1" },
	{ "\x11\xaf", "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98" },
};

START_TEST(known_answers)
{
	char got[2 * SHA256_DIGEST_BYTES + 1];
	size_t i, piece;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		for (piece = 1; piece <= 65; piece += 7) {
			digest_of(vectors[i].msg, strlen(vectors[i].msg), piece, got);
			ck_assert_msg(strcmp(got, vectors[i].digest) == 0, "vector %zu in pieces of %zu: %s",
				      i, piece, got);
		}
}
END_TEST

/* One million 'a' (FIPS 180-4's long example), in uneven pieces. */
START_TEST(million_a)
{
	char got[2 * SHA256_DIGEST_BYTES + 1];
	char *msg = malloc(1000000);

	ck_assert_msg(msg != NULL, "out of memory");
	memset(msg, 'a', 1000000);
	digest_of(msg, 1000000, 1000, got);
	ck_assert_msg(strcmp(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
		      "one million a: %s", got);
	digest_of(msg, 1000000, 333, got);
	ck_assert_msg(strcmp(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
		      "one million a in pieces of 333: %s", got);
	free(msg);
}
END_TEST

/*
 * Lengths where the padding just fits (55), just does not (56), ends a
 * block (63, 64) or a second one (119).  Digests from Python's hashlib.
 */
START_TEST(padding_boundaries)
{
	static const struct {
		size_t len;
		const char *digest;
	} cases[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
	};
	char msg[128], got[2 * SHA256_DIGEST_BYTES + 1];
	size_t i;

	memset(msg, 'a', sizeof(msg));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		digest_of(msg, cases[i].len, cases[i].len, got);
		ck_assert_msg(strcmp(got, cases[i].digest) == 0, "%zu bytes: %s", cases[i].len, got);
		digest_of(msg, cases[i].len, 1, got);
		ck_assert_msg(strcmp(got, cases[i].digest) == 0, "%zu bytes one by one: %s", cases[i].len, got);
	}
}
END_TEST

/* sha256_final leaves nothing of the message in the context. */
START_TEST(final_wipes)
{
	uint8_t d[SHA256_DIGEST_BYTES], zero[sizeof(struct sha256_ctx)];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, "secret bytes", 12);
	sha256_final(&ctx, d);
	memset(zero, 0, sizeof(zero));
	ck_assert_msg(memcmp(&ctx, zero, sizeof(ctx)) == 0, "context not wiped");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("vectors");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, known_answers);
	tcase_add_test(tc, million_a);
	tcase_add_test(tc, padding_boundaries);
	tcase_add_test(tc, final_wipes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
