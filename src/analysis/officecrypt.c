/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether an encrypted Office document opens with the default password. Key derivations and
 * verifier checks of [MS-OFFCRYPTO] 2.3.4 (standard and agile) and 2.3.6 (RC4, RC4 CryptoAPI).
 * RC4 is written out here: OpenSSL 3 keeps it in the legacy provider, which a confined worker
 * cannot load. */
#include <ctype.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "office.h"
#include "basic/unaligned.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

#define SPIN_STANDARD 50000
#define MAX_SPIN      10000000u
#define PW_MAX        255

static void wr32(uint8_t *p, uint32_t v)
{
        p[0] = v & 0xff;
        p[1] = (v >> 8) & 0xff;
        p[2] = (v >> 16) & 0xff;
        p[3] = v >> 24;
}

/* The password as UTF-16LE (the default one is ASCII). Returns its length in bytes. */
static size_t utf16_password(const char *password, uint8_t out[2 * PW_MAX])
{
        size_t n = 0;

        for (; password[n] && n < PW_MAX; n++) {
                out[2 * n] = (uint8_t)password[n];
                out[2 * n + 1] = 0;
        }
        return 2 * n;
}

struct rc4 {
        uint8_t s[256];
        uint8_t i, j;
};

static void rc4_init(struct rc4 *r, const uint8_t *key, size_t n)
{
        uint8_t j = 0;

        for (unsigned i = 0; i < 256; i++)
                r->s[i] = (uint8_t)i;
        for (unsigned i = 0; i < 256; i++) {
                uint8_t t = r->s[i];
                j = (uint8_t)(j + t + key[i % n]);
                r->s[i] = r->s[j];
                r->s[j] = t;
        }
        r->i = r->j = 0;
}

static void rc4_apply(struct rc4 *r, uint8_t *d, size_t n)
{
        for (size_t k = 0; k < n; k++) {
                uint8_t t;
                r->i++;
                t = r->s[r->i];
                r->j = (uint8_t)(r->j + t);
                r->s[r->i] = r->s[r->j];
                r->s[r->j] = t;
                d[k] ^= r->s[(uint8_t)(r->s[r->i] + t)];
        }
}

/* out = md(a || b). Returns the digest length, or 0 on failure. */
static unsigned digest2(const EVP_MD *md, const void *a, size_t na, const void *b, size_t nb,
                        uint8_t *out)
{
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        unsigned n = 0;

        if (c && EVP_DigestInit_ex(c, md, NULL) == 1 && EVP_DigestUpdate(c, a, na) == 1 &&
            (nb == 0 || EVP_DigestUpdate(c, b, nb) == 1) && EVP_DigestFinal_ex(c, out, &n) == 1) {
        } else
                n = 0;
        EVP_MD_CTX_free(c);
        return n;
}

/* H0 = H(salt || password), then spin times Hn = H(iterator || Hn-1). Returns the length.
 * One context and one fetch of the digest for all the rounds: a fetch and a context per round
 * cost more than the hash itself, and agile encryption asks for 100000 rounds. */
static unsigned spin_hash(const EVP_MD *md, const uint8_t *salt, size_t nsalt, const char *password,
                          uint32_t spin, uint8_t h[EVP_MAX_MD_SIZE])
{
        uint8_t pw[2 * PW_MAX], buf[4 + EVP_MAX_MD_SIZE];
        size_t npw = utf16_password(password, pw);
        unsigned n = digest2(md, salt, nsalt, pw, npw, h);
        EVP_MD *fetched = n && spin ? EVP_MD_fetch(NULL, EVP_MD_get0_name(md), NULL) : NULL;
        EVP_MD_CTX *c = fetched ? EVP_MD_CTX_new() : NULL;

        if (spin && !c)
                n = 0;
        for (uint32_t i = 0; n && i < spin; i++) {
                unsigned len = 0;
                wr32(buf, i);
                memcpy(buf + 4, h, n);
                if (EVP_DigestInit_ex2(c, fetched, NULL) != 1 ||
                    EVP_DigestUpdate(c, buf, 4 + n) != 1 || EVP_DigestFinal_ex(c, h, &len) != 1)
                        len = 0;
                n = len;
        }
        EVP_MD_CTX_free(c);
        EVP_MD_free(fetched);
        return n;
}

static bool decrypt_aes(const EVP_CIPHER *cipher, const uint8_t *key, const uint8_t *iv,
                        const uint8_t *in, size_t n, uint8_t *out)
{
        EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
        int len = 0;
        bool ok = c && EVP_DecryptInit_ex(c, cipher, NULL, key, iv) == 1 &&
                  EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
                  EVP_DecryptUpdate(c, out, &len, in, (int)n) == 1 && (size_t)len == n;

        EVP_CIPHER_CTX_free(c);
        return ok;
}

/* RC4 (version 1.1): 16 bytes of salt, verifier and verifier hash, keyed by MD5. */
static enum office_crypt check_rc4(const uint8_t *p, size_t n, const char *password)
{
        uint8_t pw[2 * PW_MAX], h0[EVP_MAX_MD_SIZE], buf[16 * 21], h1[EVP_MAX_MD_SIZE],
                key[EVP_MAX_MD_SIZE], blk[4] = {0}, v[32], hv[EVP_MAX_MD_SIZE];
        size_t npw = utf16_password(password, pw);
        struct rc4 r;

        if (n < 48)
                return OFFICE_CRYPT_UNKNOWN;
        if (digest2(EVP_md5(), pw, npw, NULL, 0, h0) != 16)
                return OFFICE_CRYPT_UNKNOWN;
        for (unsigned i = 0; i < 16; i++) {
                memcpy(buf + 21 * i, h0, 5);
                memcpy(buf + 21 * i + 5, p, 16);
        }
        if (digest2(EVP_md5(), buf, sizeof(buf), NULL, 0, h1) != 16 ||
            digest2(EVP_md5(), h1, 5, blk, 4, key) != 16)
                return OFFICE_CRYPT_UNKNOWN;
        memcpy(v, p + 16, 32);
        rc4_init(&r, key, 16);
        rc4_apply(&r, v, 32);
        if (digest2(EVP_md5(), v, 16, NULL, 0, hv) != 16)
                return OFFICE_CRYPT_UNKNOWN;
        return memcmp(hv, v + 16, 16) == 0 ? OFFICE_CRYPT_DEFAULT : OFFICE_CRYPT_PASSWORD;
}

#define ALG_RC4     0x6801u
#define ALG_AES_128 0x660Eu
#define ALG_AES_192 0x660Fu
#define ALG_AES_256 0x6610u

/* Standard encryption and RC4 CryptoAPI (version x.2): flags, header size, EncryptionHeader,
 * EncryptionVerifier. */
static enum office_crypt check_standard(const uint8_t *p, size_t n, const char *password)
{
        uint32_t hsize, alg, bits, salt_size, hash_size;
        const uint8_t *v;
        uint8_t h[EVP_MAX_MD_SIZE], blk[4] = {0}, key[64], x[64], dec[48], hv[EVP_MAX_MD_SIZE];
        unsigned nh;

        if (n < 8)
                return OFFICE_CRYPT_UNKNOWN;
        hsize = read_le32(p + 4);
        if (hsize < 32 || hsize > n - 8 || n - 8 - hsize < 4 + 16 + 16 + 4 + 20)
                return OFFICE_CRYPT_UNKNOWN;
        alg = read_le32(p + 8 + 8);
        bits = read_le32(p + 8 + 16);
        v = p + 8 + hsize;
        salt_size = read_le32(v);
        hash_size = read_le32(v + 36);
        if (salt_size != 16 || hash_size != 20)
                return OFFICE_CRYPT_UNKNOWN;
        if (alg == ALG_RC4) {
                struct rc4 r;
                if (bits == 0)
                        bits = 40;
                if (bits < 40 || bits > 128 || bits % 8 || n - 8 - hsize < 40 + 20)
                        return OFFICE_CRYPT_UNKNOWN;
                nh = spin_hash(EVP_sha1(), v + 4, 16, password, 0, h);
                if (nh != 20 || digest2(EVP_sha1(), h, 20, blk, 4, key) != 20)
                        return OFFICE_CRYPT_UNKNOWN;
                /* a 40-bit key is used as 128 bits, padded with zeroes */
                if (bits == 40)
                        memset(key + 5, 0, 11);
                memcpy(dec, v + 20, 16);
                memcpy(dec + 16, v + 40, 20);
                rc4_init(&r, key, bits == 40 ? 16 : bits / 8);
                rc4_apply(&r, dec, 36);
        } else if (alg == ALG_AES_128 || alg == ALG_AES_192 || alg == ALG_AES_256) {
                const EVP_CIPHER *c = alg == ALG_AES_128   ? EVP_aes_128_ecb()
                                      : alg == ALG_AES_192 ? EVP_aes_192_ecb()
                                                           : EVP_aes_256_ecb();
                if (bits != (alg == ALG_AES_128   ? 128u
                             : alg == ALG_AES_192 ? 192u
                                                  : 256u) ||
                    n - 8 - hsize < 40 + 32)
                        return OFFICE_CRYPT_UNKNOWN;
                nh = spin_hash(EVP_sha1(), v + 4, 16, password, SPIN_STANDARD, h);
                if (nh != 20 || digest2(EVP_sha1(), h, 20, blk, 4, h) != 20)
                        return OFFICE_CRYPT_UNKNOWN;
                /* [MS-OFFCRYPTO] 2.3.4.7: X1 and X2 from the hash XORed into 0x36 and 0x5c */
                memset(x, 0x36, 64);
                for (unsigned i = 0; i < 20; i++)
                        x[i] ^= h[i];
                if (digest2(EVP_sha1(), x, 64, NULL, 0, key) != 20)
                        return OFFICE_CRYPT_UNKNOWN;
                memset(x, 0x5c, 64);
                for (unsigned i = 0; i < 20; i++)
                        x[i] ^= h[i];
                if (digest2(EVP_sha1(), x, 64, NULL, 0, key + 20) != 20)
                        return OFFICE_CRYPT_UNKNOWN;
                if (!decrypt_aes(c, key, NULL, v + 20, 16, dec) ||
                    !decrypt_aes(c, key, NULL, v + 40, 32, dec + 16))
                        return OFFICE_CRYPT_UNKNOWN;
        } else
                return OFFICE_CRYPT_UNKNOWN;
        if (digest2(EVP_sha1(), dec, 16, NULL, 0, hv) != 20)
                return OFFICE_CRYPT_UNKNOWN;
        return memcmp(hv, dec + 16, 20) == 0 ? OFFICE_CRYPT_DEFAULT : OFFICE_CRYPT_PASSWORD;
}

/* The value of attribute name in the first element named elem of xml, into out. */
static bool xml_attr(const char *xml, const char *elem, const char *name, char *out, size_t cap)
{
        const char *e = strstr(xml, elem), *end, *a;
        size_t nl = strlen(name), len;

        if (!e || !(end = strchr(e, '>')))
                return false;
        for (a = e; (a = strstr(a, name)) && a < end; a += nl) {
                if (!isspace((unsigned char)a[-1]) || strncmp(a + nl, "=\"", 2) != 0)
                        continue;
                a += nl + 2;
                len = strcspn(a, "\"");
                if (len >= cap)
                        return false;
                memcpy(out, a, len);
                out[len] = 0;
                return true;
        }
        return false;
}

static size_t base64_decode(const char *s, uint8_t *out, size_t cap)
{
        int n = EVP_DecodeBlock(out, (const unsigned char *)s, (int)strlen(s));
        size_t len = strlen(s);

        if (n < 0 || (size_t)n > cap)
                return 0;
        /* EVP_DecodeBlock counts the padding as data */
        while (len > 0 && s[len - 1] == '=' && n > 0) {
                len--;
                n--;
        }
        return (size_t)n;
}

/* Agile encryption (4.4): an XML descriptor; the password key encryptor holds the salt, the
 * spin count and the encrypted verifier input and hash. */
static enum office_crypt check_agile(const uint8_t *p, size_t n, const char *password)
{
        static const uint8_t block_input[8] = {0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79};
        static const uint8_t block_value[8] = {0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e};
        _cleanup_free_ char *xml = NULL;
        char val[512], hash_name[32];
        uint8_t salt[64], in_enc[64], hv_enc[128], hn[EVP_MAX_MD_SIZE], h[EVP_MAX_MD_SIZE],
                buf[EVP_MAX_MD_SIZE + 8], k1[64], k2[64], in_dec[64], hv_dec[128],
                hin[EVP_MAX_MD_SIZE];
        size_t nsalt, nin, nhv;
        unsigned bits, nh, spin;
        const EVP_MD *md;
        const EVP_CIPHER *cipher;
        const char *enc = "encryptedKey ";

        if (n <= 8 || n > 1 << 20 || !(xml = strndup((const char *)p + 8, n - 8)))
                return OFFICE_CRYPT_UNKNOWN;
        if (!strstr(xml, enc))
                return OFFICE_CRYPT_UNKNOWN;
        if (!xml_attr(xml, enc, "hashAlgorithm", hash_name, sizeof(hash_name)) ||
            !xml_attr(xml, enc, "spinCount", val, sizeof(val)) ||
            (spin = (unsigned)strtoul(val, NULL, 10)) > MAX_SPIN ||
            !xml_attr(xml, enc, "keyBits", val, sizeof(val)))
                return OFFICE_CRYPT_UNKNOWN;
        bits = (unsigned)strtoul(val, NULL, 10);
        md = streq(hash_name, "SHA512")   ? EVP_sha512()
             : streq(hash_name, "SHA384") ? EVP_sha384()
             : streq(hash_name, "SHA256") ? EVP_sha256()
             : streq(hash_name, "SHA1")   ? EVP_sha1()
                                          : NULL;
        cipher = bits == 128   ? EVP_aes_128_cbc()
                 : bits == 192 ? EVP_aes_192_cbc()
                 : bits == 256 ? EVP_aes_256_cbc()
                               : NULL;
        if (!md || !cipher || !xml_attr(xml, enc, "cipherAlgorithm", val, sizeof(val)) ||
            !streq(val, "AES"))
                return OFFICE_CRYPT_UNKNOWN;
        if (!xml_attr(xml, enc, "saltValue", val, sizeof(val)) ||
            (nsalt = base64_decode(val, salt, sizeof(salt))) < 16 ||
            !xml_attr(xml, enc, "encryptedVerifierHashInput", val, sizeof(val)) ||
            (nin = base64_decode(val, in_enc, sizeof(in_enc))) < 16 || nin % 16 ||
            !xml_attr(xml, enc, "encryptedVerifierHashValue", val, sizeof(val)) ||
            (nhv = base64_decode(val, hv_enc, sizeof(hv_enc))) < 16 || nhv % 16)
                return OFFICE_CRYPT_UNKNOWN;
        nh = spin_hash(md, salt, nsalt, password, spin, hn);
        if (!nh)
                return OFFICE_CRYPT_UNKNOWN;
        /* the key: H(Hn || block key), cut to the key size or padded with 0x36 */
        memcpy(buf, hn, nh);
        memcpy(buf + nh, block_input, 8);
        memset(k1, 0x36, sizeof(k1));
        memset(k2, 0x36, sizeof(k2));
        if (!digest2(md, buf, nh + 8, NULL, 0, h))
                return OFFICE_CRYPT_UNKNOWN;
        memcpy(k1, h, MIN((unsigned)nh, bits / 8));
        memcpy(buf, hn, nh);
        memcpy(buf + nh, block_value, 8);
        if (!digest2(md, buf, nh + 8, NULL, 0, h))
                return OFFICE_CRYPT_UNKNOWN;
        memcpy(k2, h, MIN((unsigned)nh, bits / 8));
        if (!decrypt_aes(cipher, k1, salt, in_enc, nin, in_dec) ||
            !decrypt_aes(cipher, k2, salt, hv_enc, nhv, hv_dec) || nhv < nh)
                return OFFICE_CRYPT_UNKNOWN;
        /* the verifier input is the salt size long, the rest is padding */
        if (!digest2(md, in_dec, nsalt, NULL, 0, hin))
                return OFFICE_CRYPT_UNKNOWN;
        return memcmp(hin, hv_dec, nh) == 0 ? OFFICE_CRYPT_DEFAULT : OFFICE_CRYPT_PASSWORD;
}

enum office_crypt office_crypt_check(const uint8_t *info, size_t size, const char *password)
{
        uint16_t major, minor;

        if (size < 4)
                return OFFICE_CRYPT_UNKNOWN;
        major = read_le16(info);
        minor = read_le16(info + 2);
        if (major == 1 && minor == 1)
                return check_rc4(info + 4, size - 4, password);
        if (major == 4 && minor == 4)
                return check_agile(info, size, password);
        if (major >= 2 && major <= 4 && minor == 2)
                return check_standard(info + 4, size - 4, password);
        return OFFICE_CRYPT_UNKNOWN;
}

uint16_t office_xor_verifier(const char *password)
{
        size_t n = strnlen(password, 15);
        uint16_t v = 0;

        /* [MS-OFFCRYPTO] 2.3.7.1: the characters from the last, then the length */
        for (size_t i = n + 1; i-- > 0;) {
                uint8_t c = i == 0 ? (uint8_t)n : (uint8_t)password[i - 1];
                v = (uint16_t)((((v >> 14) & 1) | ((v << 1) & 0x7fff)) ^ c);
        }
        return v ^ 0xce4b;
}
