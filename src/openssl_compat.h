/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OpenSSL 1.0.x (RHEL 6: 1.0.1e, RHEL 7: 1.0.2k) names the digest context
 * calls EVP_MD_CTX_create/destroy; 1.1 renamed them EVP_MD_CTX_new/free
 * (and keeps the old names as macros).  configure looks for
 * EVP_MD_CTX_new; without it the 1.1 names map to the 1.0 ones, which
 * likewise allocate, and cleanse before they free.
 */
#ifndef ENTROPYD_OPENSSL_COMPAT_H
#define ENTROPYD_OPENSSL_COMPAT_H

#include <openssl/evp.h>

#ifndef HAVE_EVP_MD_CTX_NEW
#define EVP_MD_CTX_new() EVP_MD_CTX_create()
#define EVP_MD_CTX_free(ctx) EVP_MD_CTX_destroy(ctx)
#endif

#endif
