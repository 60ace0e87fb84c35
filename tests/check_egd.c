/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The EGD protocol core: command parsing, replies, the per-client rate. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "egd.h"
#include "fixture.h"

START_TEST(test_parse_commands)
{
	struct egd_command cmd;
	const uint8_t level[] = { 0x00, 0x02 };
	const uint8_t nb[] = { 0x01, 0x20 };
	const uint8_t blk[] = { 0x02, 0xff, 0x00 };
	const uint8_t wr[] = { 0x03, 0x00, 0x08, 0x01, 0xaa };
	const uint8_t pid[] = { 0x04 };
	const uint8_t bad[] = { 0x05, 0x01 };
	const uint8_t high[] = { 0xff };

	ck_assert_int_eq(egd_parse(level, sizeof(level), &cmd), 1);
	ck_assert_int_eq(cmd.kind, EGD_LEVEL);
	ck_assert_int_eq(egd_parse(nb, sizeof(nb), &cmd), 2);
	ck_assert_int_eq(cmd.kind, EGD_READ_NONBLOCK);
	ck_assert_int_eq(cmd.count, 0x20);
	ck_assert_int_eq(egd_parse(blk, sizeof(blk), &cmd), 2);
	ck_assert_int_eq(cmd.kind, EGD_READ_BLOCK);
	ck_assert_int_eq(cmd.count, 255);
	/* The write command is refused on its first byte. */
	ck_assert_int_eq(egd_parse(wr, sizeof(wr), &cmd), 1);
	ck_assert_int_eq(cmd.kind, EGD_WRITE);
	ck_assert_int_eq(egd_parse(pid, sizeof(pid), &cmd), 1);
	ck_assert_int_eq(cmd.kind, EGD_PID);
	ck_assert_int_eq(egd_parse(bad, sizeof(bad), &cmd), 1);
	ck_assert_int_eq(cmd.kind, EGD_BAD);
	ck_assert_int_eq(egd_parse(high, sizeof(high), &cmd), 1);
	ck_assert_int_eq(cmd.kind, EGD_BAD);
}
END_TEST

START_TEST(test_parse_incomplete)
{
	struct egd_command cmd;
	const uint8_t nb[] = { 0x01 };
	const uint8_t blk[] = { 0x02 };

	ck_assert_int_eq(egd_parse(NULL, 0, &cmd), 0);
	ck_assert_int_eq(cmd.kind, EGD_INCOMPLETE);
	ck_assert_int_eq(egd_parse(nb, 1, &cmd), 0);
	ck_assert_int_eq(cmd.kind, EGD_INCOMPLETE);
	ck_assert_int_eq(egd_parse(blk, 1, &cmd), 0);
	ck_assert_int_eq(cmd.kind, EGD_INCOMPLETE);
}
END_TEST

START_TEST(test_replies)
{
	uint8_t out[32];

	egd_level_reply(0x01020304ULL, out);
	ck_assert_msg(out[0] == 1 && out[1] == 2 && out[2] == 3 && out[3] == 4, "big-endian level");
	egd_level_reply(1ULL << 40, out);
	ck_assert_msg(out[0] == 0xff && out[1] == 0xff && out[2] == 0xff && out[3] == 0xff,
		      "a level beyond 32 bits saturates");
	ck_assert_int_eq(egd_pid_reply(4242, out, sizeof(out)), 5);
	ck_assert_int_eq(out[0], 4);
	ck_assert_msg(memcmp(out + 1, "4242", 4) == 0, "PID as ASCII after its length");
	ck_assert_int_eq(egd_pid_reply(4242, out, 4), 0);
}
END_TEST

START_TEST(test_bucket_unlimited)
{
	struct egd_bucket b;

	egd_bucket_init(&b, 1000);
	ck_assert_int_eq(egd_bucket_allow(&b, 0, 1000, 255), 255);
	egd_bucket_spend(&b, 0, 255);
	ck_assert_int_eq(egd_bucket_allow(&b, 0, 1000, 255), 255);
	ck_assert_msg(egd_bucket_next_ms(&b, 0, 1000) == 1000, "no rate: never waits");
}
END_TEST

START_TEST(test_bucket_rate)
{
	struct egd_bucket b;
	unsigned int total = 0;
	uint64_t t;

	/* 1000 bytes/s: a burst of one second's worth, then 1 byte per ms. */
	egd_bucket_init(&b, 5000);
	ck_assert_int_eq(egd_bucket_allow(&b, 1000, 5000, 4000), 1000);
	egd_bucket_spend(&b, 1000, 1000);
	ck_assert_int_eq(egd_bucket_allow(&b, 1000, 5000, 10), 0);
	ck_assert_msg(egd_bucket_next_ms(&b, 1000, 5000) == 5001, "one byte after 1 ms");
	ck_assert_int_eq(egd_bucket_allow(&b, 1000, 5010, 255), 10);
	egd_bucket_spend(&b, 1000, 10);
	/* Over 10 simulated seconds, taking all it allows each 7 ms. */
	for (t = 5017; t <= 15010; t += 7) {
		unsigned int n = egd_bucket_allow(&b, 1000, t, 255);

		egd_bucket_spend(&b, 1000, n);
		total += n;
	}
	ck_assert_msg(total >= 9990 && total <= 10000, "10 s at 1000 B/s gave %u bytes", total);
}
END_TEST

START_TEST(test_bucket_slow_rate)
{
	struct egd_bucket b;

	/* Below one read per second, a full read still fits the burst. */
	egd_bucket_init(&b, 0);
	ck_assert_int_eq(egd_bucket_allow(&b, 10, 0, 255), 255);
	egd_bucket_spend(&b, 10, 255);
	ck_assert_int_eq(egd_bucket_allow(&b, 10, 1000, 255), 10);
	ck_assert_msg(egd_bucket_next_ms(&b, 10, 1000) == 1000, "tokens left: at once");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("egd");
	TCase *tc = tcase_create("protocol");

	tcase_add_test(tc, test_parse_commands);
	tcase_add_test(tc, test_parse_incomplete);
	tcase_add_test(tc, test_replies);
	tcase_add_test(tc, test_bucket_unlimited);
	tcase_add_test(tc, test_bucket_rate);
	tcase_add_test(tc, test_bucket_slow_rate);
	suite_add_tcase(s, tc);
	return fixture_run(s);
}
