/* test_crypto.c - unit tests of the crypto module: hashing, minisign keys
 * and signatures, interop with minisign, RFC 8032 and Wycheproof vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "crypto.h"
#include "testutil.h"

/* A low scrypt cost so that the encrypted-key tests run fast; one test
 * keeps minisign's own cost. */
#define LOW_OPS 524288ULL
#define LOW_MEM 16777216ULL

/* minisign's own public key (jedisct1/minisign README). */
#define MINISIGN_PK_B64 "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
#define MINISIGN_KEYID "E7620F1842B4E81F"

static int have_minisign(void)
{
    return system("command -v minisign >/dev/null 2>&1") == 0;
}

/* Runs a shell command; returns its exit status (-1 if abnormal). */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

/* Decodes hex into a malloc'd buffer (at least one byte allocated). */
static unsigned char *unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    unsigned char *b = malloc(n + 1);
    assert_non_null(b);
    assert_int_equal(sodium_hex2bin(b, n + 1, hex, strlen(hex), NULL, len, NULL), 0);
    assert_int_equal(*len, n);
    return b;
}

/* ---- fixtures: one temporary directory per test ---- */

static int setup_dir(void **state)
{
    *state = tu_tmpdir();
    return 0;
}

static int teardown_dir(void **state)
{
    tu_rmtree(*state);
    free(*state);
    return 0;
}

/* ---- hashing ---- */

static void test_hash(void **state)
{
    (void)state;
    char s[CR_HASH_STR_LEN];
    cr_hash_hex("abc", 3, s);
    assert_string_equal(
        s, "blake2b-256:bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    cr_hash_hex("", 0, s);
    assert_string_equal(
        s, "blake2b-256:0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");

    /* Streaming in uneven pieces gives the one-shot digest. */
    unsigned char data[1000], one[CR_HASH_BYTES], streamed[CR_HASH_BYTES];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7);
    crypto_generichash(one, sizeof one, data, sizeof data, NULL, 0);
    cr_hash h;
    cr_hash_init(&h);
    cr_hash_update(&h, data, 1);
    cr_hash_update(&h, data + 1, 0);
    cr_hash_update(&h, data + 1, 600);
    cr_hash_update(&h, data + 601, sizeof data - 601);
    cr_hash_final(&h, streamed);
    assert_memory_equal(one, streamed, CR_HASH_BYTES);

    char hex[2 * 3 + 1];
    cr_hex(hex, (const unsigned char *)"\x00\xab\xff", 3);
    assert_string_equal(hex, "00abff");
}

static void test_memcmp_random(void **state)
{
    (void)state;
    unsigned char a[32], b[32];
    cr_random(a, sizeof a);
    memcpy(b, a, sizeof b);
    assert_int_equal(cr_memcmp(a, b, sizeof a), 0);
    b[31] ^= 1;
    assert_int_not_equal(cr_memcmp(a, b, sizeof a), 0);
    cr_random(b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a); /* 2^-256 */
}

/* ---- public keys ---- */

static void test_pubkey_parse_good(void **state)
{
    (void)state;
    cr_err e = {0};
    cr_pubkey pk;
    char id[CR_KEYID_HEX], b64[CR_PUBKEY_B64];
    const char *texts[] = {
        "untrusted comment: minisign public key " MINISIGN_KEYID "\n" MINISIGN_PK_B64 "\n",
        "untrusted comment: crlf\r\n" MINISIGN_PK_B64 "\r\n",
        "untrusted comment: no final newline\n" MINISIGN_PK_B64,
        "untrusted comment: blank lines after\n" MINISIGN_PK_B64 "\n\n\r\n",
        MINISIGN_PK_B64,
        MINISIGN_PK_B64 "\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        memset(&pk, 0, sizeof pk);
        int rc = cr_pubkey_parse(texts[i], strlen(texts[i]), &pk, &e);
        if (rc != CR_OK)
            fail_msg("text %zu: %s", i, e.msg);
        cr_keyid_hex(pk.keyid, id);
        assert_string_equal(id, MINISIGN_KEYID);
        cr_pubkey_base64(&pk, b64, sizeof b64);
        assert_string_equal(b64, MINISIGN_PK_B64);
    }

    /* Formatting then parsing gives the key back. */
    char *text = cr_pubkey_format(&pk);
    assert_non_null(text);
    assert_string_equal(text, "untrusted comment: minisign public key " MINISIGN_KEYID
                              "\n" MINISIGN_PK_B64 "\n");
    cr_pubkey again;
    assert_int_equal(cr_pubkey_parse(text, strlen(text), &again, &e), CR_OK);
    assert_memory_equal(&pk, &again, sizeof pk);
    free(text);

    /* A too-small buffer is left empty rather than overrun. */
    char small[10] = "x";
    cr_pubkey_base64(&pk, small, sizeof small);
    assert_string_equal(small, "");
}

static void test_pubkey_parse_bad(void **state)
{
    (void)state;
    cr_err e = {0};
    cr_pubkey pk;
    /* "Xx" followed by the 40 key bytes of minisign's key. */
    unsigned char bin[42];
    size_t got;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, MINISIGN_PK_B64,
                                       strlen(MINISIGN_PK_B64), NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    bin[0] = 'X';
    bin[1] = 'x';
    char wrongalg[128];
    strcpy(wrongalg, "untrusted comment: x\n");
    cr_base64(wrongalg + strlen(wrongalg), sizeof wrongalg - strlen(wrongalg), bin, sizeof bin);

    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", "empty"},
        {"untrusted comment: only a comment\n", "line 2: missing"},
        {"untrusted comment: x\nRWQf6LRCGA9i53mlYecO4IzT\n", "line 2: data is 18 bytes, expected 42"},
        {"untrusted comment: x\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO\n",
         "line 2: not valid base64"},
        {"untrusted comment: x\nRWQf6LRCGA9i53ml*ecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n",
         "line 2: not valid base64"},
        {"untrusted comment: x\n" MINISIGN_PK_B64 "AAAA\n", "line 2: data is 45 bytes"},
        {"untrusted comment: x\n" MINISIGN_PK_B64 " \n", "line 2: not valid base64"},
        {"untrusted comment: x\n\n", "line 2: empty"},
        {"comment: x\n" MINISIGN_PK_B64 "\n", "line 1: does not start with \"untrusted comment: \""},
        {"untrusted comment:x\n" MINISIGN_PK_B64 "\n", "line 1: does not start with"},
        {"untrusted comment: x\n" MINISIGN_PK_B64 "\nextra\n", "line 3: unexpected data"},
        {"not base64 at all", "line 1: not valid base64"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&e, 0, sizeof e);
        assert_err(cr_pubkey_parse(cases[i].text, strlen(cases[i].text), &pk, &e), &e,
                   CR_EINPUT, cases[i].want);
        assert_null(strchr(e.msg, '\n'));
    }
    assert_err(cr_pubkey_parse(wrongalg, strlen(wrongalg), &pk, &e), &e, CR_EINPUT,
               "line 2: unsupported signature algorithm \"Xx\"");
}

static void test_pubkey_save_load(void **state)
{
    cr_err e = {0};
    char *path = tu_path(*state, "k.pub");
    cr_pubkey pk, back;
    cr_random(&pk, sizeof pk);
    assert_int_equal(cr_pubkey_save(path, &pk, 0, &e), CR_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644 & ~(unsigned)umask(umask(0)));
    assert_int_equal(cr_pubkey_load(path, &back, &e), CR_OK);
    assert_memory_equal(&pk, &back, sizeof pk);
    /* No silent replacement. */
    assert_err(cr_pubkey_save(path, &pk, 0, &e), &e, CR_EINPUT, "already exists");
    assert_int_equal(cr_pubkey_save(path, &pk, 1, &e), CR_OK);

    char *missing = tu_path(*state, "missing.pub");
    /* A file the user named and that is not there is an input error (exit 2). */
    assert_err(cr_pubkey_load(missing, &back, &e), &e, CR_EINPUT, missing);
    /* Parse errors are prefixed with the path. */
    assert_int_equal(tu_write(path, "garbage\nmore\n", 13), 0);
    assert_err(cr_pubkey_load(path, &back, &e), &e, CR_EINPUT, "k.pub: line 1:");
    free(missing);
    free(path);
}

/* ---- secret keys ---- */

/* Decodes the base64 line of a secret key file into bin[158]. */
static void read_seckey_bin(const char *path, unsigned char bin[158])
{
    size_t len;
    char *text = tu_slurp(path, &len);
    assert_non_null(text);
    cr_err e = {0};
    if (cr_parse_key_text(text, len, bin, 158, NULL, &e) != CR_OK)
        fail_msg("%s", e.msg);
    free(text);
}

static void test_seckey_unencrypted(void **state)
{
    cr_err e = {0};
    char *path = tu_path(*state, "k.key");
    cr_seckey *sk = NULL, *back = NULL;
    cr_pubkey pk, pk2;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    cr_seckey_pubkey(sk, &pk2);
    assert_memory_equal(&pk, &pk2, sizeof pk);
    assert_int_equal(cr_seckey_save(path, sk, NULL, 0, &e), CR_OK);

    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* Fields as minisign -W writes them: kdf, salt, limits, chk zero. */
    unsigned char bin[158], zero[64] = {0};
    read_seckey_bin(path, bin);
    assert_memory_equal(bin, "Ed\0\0B2", 6);
    assert_memory_equal(bin + 6, zero, 48);
    assert_memory_equal(bin + 54, pk.keyid, 8);
    assert_memory_equal(bin + 126, zero, 32);
    assert_int_equal(cr_seckey_is_encrypted(path), 0);

    int needs = -1;
    assert_int_equal(cr_seckey_load(path, NULL, &back, &needs, &e), CR_OK);
    assert_int_equal(needs, 0);
    cr_seckey_pubkey(back, &pk2);
    assert_memory_equal(&pk, &pk2, sizeof pk);
    cr_seckey_free(back);
    /* A passphrase given for an unencrypted key is not needed, not an error. */
    assert_int_equal(cr_seckey_load(path, "unused", &back, NULL, &e), CR_OK);
    cr_seckey_free(back);

    /* A correct checksum is accepted too; a wrong one is corruption. */
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, bin, 2);
    crypto_generichash_update(&h, bin + 54, 72);
    crypto_generichash_final(&h, bin + 126, 32);
    char text[512] = "untrusted comment: with checksum\n";
    cr_base64(text + strlen(text), sizeof text - strlen(text), bin, sizeof bin);
    assert_int_equal(cr_write_file(path, text, strlen(text), 0600, 1, &e), CR_OK);
    assert_int_equal(cr_seckey_load(path, NULL, &back, NULL, &e), CR_OK);
    cr_seckey_free(back);
    bin[126] ^= 1;
    strcpy(text, "untrusted comment: bad checksum\n");
    cr_base64(text + strlen(text), sizeof text - strlen(text), bin, sizeof bin);
    assert_int_equal(cr_write_file(path, text, strlen(text), 0600, 1, &e), CR_OK);
    assert_err(cr_seckey_load(path, NULL, &back, NULL, &e), &e, CR_EINPUT, "checksum mismatch");
    assert_null(back);

    /* A damaged secret half (checksum zero) is caught by the key pair check. */
    bin[126] ^= 1;
    memset(bin + 126, 0, 32);
    bin[70] ^= 0x40;
    strcpy(text, "untrusted comment: corrupt\n");
    cr_base64(text + strlen(text), sizeof text - strlen(text), bin, sizeof bin);
    assert_int_equal(cr_write_file(path, text, strlen(text), 0600, 1, &e), CR_OK);
    assert_err(cr_seckey_load(path, NULL, &back, NULL, &e), &e, CR_EINPUT, "corrupt");
    assert_null(back);

    cr_seckey_free(sk);
    free(path);
}

/* The files in dir other than the one named keep; their number. */
static int others_in(const char *dir, const char *keep)
{
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *de; (de = readdir(d));)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, keep))
            n++;
    closedir(d);
    return n;
}

static void test_write_file_force(void **state)
{
    cr_err e = {0};
    char *path = tu_path(*state, "out.txt"), *link = tu_path(*state, "link.txt");
    struct stat st;
    size_t len;
    char *back = NULL;
    /* a temporary name: PATH.<16 hex digits>.tmp, another each time */
    char *t1 = cr_temp_name(path), *t2 = cr_temp_name(path);
    assert_non_null(t1);
    assert_non_null(t2);
    assert_int_equal(strlen(t1), strlen(path) + 1 + 16 + 4);
    assert_memory_equal(t1, path, strlen(path));
    assert_string_equal(t1 + strlen(t1) - 4, ".tmp");
    assert_int_equal(strspn(t1 + strlen(path) + 1, "0123456789abcdef"), 16);
    assert_string_not_equal(t1, t2);
    free(t1);
    free(t2);

    assert_int_equal(cr_write_file(path, "old\n", 4, 0600, 0, &e), CR_OK);
    /* without force: refused, the file as it was */
    assert_err(cr_write_file(path, "new\n", 4, 0644, 0, &e), &e, CR_EINPUT, "already exists");
    assert_int_equal(cr_read_file(path, 64, &back, &len, &e), CR_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(back, "old\n", 4);
    free(back);
    /* with force: replaced through a new file (its own mode, not the old
     * one's), and nothing left beside it */
    mode_t um = umask(022);
    assert_int_equal(cr_write_file(path, "new!\n", 5, 0644, 1, &e), CR_OK);
    umask(um);
    assert_int_equal(cr_read_file(path, 64, &back, &len, &e), CR_OK);
    assert_int_equal(len, 5);
    assert_memory_equal(back, "new!\n", 5);
    free(back);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(others_in(*state, "out.txt"), 0);
    /* never through a symbolic link, nor over a directory */
    assert_int_equal(symlink(path, link), 0);
    assert_err(cr_write_file(link, "x", 1, 0644, 1, &e), &e, CR_EINPUT, "not a regular file");
    assert_int_equal(cr_read_file(path, 64, &back, &len, &e), CR_OK);
    assert_int_equal(len, 5);
    free(back);
    assert_int_equal(unlink(link), 0);
    assert_err(cr_write_file(*state, "x", 1, 0644, 1, &e), &e, CR_EINPUT, "not a regular file");
    assert_int_equal(others_in(*state, "out.txt"), 0);
    /* a name near the 255-byte limit is replaced too: the temporary name
     * cuts it to stay within the limit */
    char name[251];
    memset(name, 'n', 250);
    name[250] = '\0';
    char *lpath = tu_path(*state, name), *lt = cr_temp_name(lpath);
    assert_non_null(lt);
    assert_true(strlen(strrchr(lt, '/') + 1) <= 255);
    assert_string_equal(lt + strlen(lt) - 4, ".tmp");
    free(lt);
    assert_int_equal(cr_write_file(lpath, "a", 1, 0644, 0, &e), CR_OK);
    assert_int_equal(cr_write_file(lpath, "bc", 2, 0644, 1, &e), CR_OK);
    assert_int_equal(cr_read_file(lpath, 64, &back, &len, &e), CR_OK);
    assert_int_equal(len, 2);
    free(back);
    assert_int_equal(unlink(lpath), 0);
    free(lpath);
    assert_int_equal(others_in(*state, "out.txt"), 0);
    free(path);
    free(link);
}

static void test_seckey_encrypted(void **state)
{
    cr_err e = {0};
    char *path = tu_path(*state, "k.key");
    cr_seckey *sk = NULL, *back = NULL;
    cr_pubkey pk, pk2;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    assert_int_equal(cr_seckey_save_kdf(path, sk, "correct horse", LOW_OPS, LOW_MEM, 0, &e),
                     CR_OK);
    assert_int_equal(cr_seckey_is_encrypted(path), 1);
    unsigned char bin[158];
    read_seckey_bin(path, bin);
    assert_memory_equal(bin, "EdScB2", 6);
    assert_memory_equal(bin + 38, "\x00\x00\x08\x00\x00\x00\x00\x00", 8);
    assert_memory_equal(bin + 46, "\x00\x00\x00\x01\x00\x00\x00\x00", 8);
    assert_memory_not_equal(bin + 54, pk.keyid, 8); /* encrypted too */

    int needs = 0;
    assert_err(cr_seckey_load(path, NULL, &back, &needs, &e), &e, CR_EINPUT, "encrypted");
    assert_int_equal(needs, 1);
    assert_null(back);

    assert_err(cr_seckey_load(path, "wrong horse", &back, &needs, &e), &e, CR_EINPUT,
               "wrong passphrase");
    assert_int_equal(needs, 0);
    assert_null(back);
    assert_non_null(strstr(e.msg, path));
    assert_null(strstr(e.msg, "horse"));

    assert_int_equal(cr_seckey_load(path, "correct horse", &back, &needs, &e), CR_OK);
    cr_seckey_pubkey(back, &pk2);
    assert_memory_equal(&pk, &pk2, sizeof pk);
    cr_seckey_free(back);

    /* Empty passphrase refused; nothing written. */
    char *p2 = tu_path(*state, "empty.key");
    assert_err(cr_seckey_save(p2, sk, "", 0, &e), &e, CR_EINPUT, "empty passphrase");
    assert_int_not_equal(access(p2, F_OK), 0);
    free(p2);

    cr_seckey_free(sk);
    free(path);
}

/* Writes bin back as a key file: the first line of path, then bin in base64. */
static void write_seckey_bin(const char *path, const unsigned char bin[158])
{
    size_t len;
    char *text = tu_slurp(path, &len);
    assert_non_null(text);
    char *nl = strchr(text, '\n');
    assert_non_null(nl);
    char b64[256];
    sodium_bin2base64(b64, sizeof b64, bin, 158, sodium_base64_VARIANT_ORIGINAL);
    char out[512];
    int n = snprintf(out, sizeof out, "%.*s\n%s\n", (int)(nl - text), text, b64);
    assert_int_equal(tu_write(path, out, (size_t)n), 0);
    free(text);
}

/* scrypt limits larger than minisign's own are refused before any key
 * derivation (a crafted key would otherwise take minutes and gigabytes). */
static void test_seckey_limits_capped(void **state)
{
    cr_err e = {0};
    char *path = tu_path(*state, "k.key");
    cr_seckey *sk = NULL, *back = NULL;
    cr_pubkey pk;
    int needs = 0;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    assert_int_equal(cr_seckey_save_kdf(path, sk, "pw", LOW_OPS, LOW_MEM, 0, &e), CR_OK);
    unsigned char bin[158];
    read_seckey_bin(path, bin);
    /* opslimit 2^40 */
    memcpy(bin + 38, "\x00\x00\x00\x00\x00\x01\x00\x00", 8);
    write_seckey_bin(path, bin);
    assert_err(cr_seckey_load(path, NULL, &back, &needs, &e), &e, CR_EINPUT,
               "opslimit 1099511627776");
    assert_non_null(strstr(e.msg, path));
    assert_non_null(strstr(e.msg, "scopereg keygen"));
    assert_int_equal(needs, 0); /* refused before any passphrase is asked for */
    assert_err(cr_seckey_load(path, "pw", &back, NULL, &e), &e, CR_EINPUT, "exceed");
    assert_null(back);
    /* memlimit one byte over 1 GiB, opslimit back to normal */
    memcpy(bin + 38, "\x00\x00\x08\x00\x00\x00\x00\x00", 8);
    memcpy(bin + 46, "\x01\x00\x00\x40\x00\x00\x00\x00", 8);
    write_seckey_bin(path, bin);
    assert_err(cr_seckey_load(path, "pw", &back, NULL, &e), &e, CR_EINPUT,
               "memlimit 1073741825");
    cr_seckey_free(sk);
    free(path);
}

/* A FIFO (or any non-regular file) given as a signature or public key is
 * refused at once, never waited for. */
static void test_read_fifo_refused(void **state)
{
    cr_err e = {0};
    char *fifo = tu_path(*state, "x.minisig");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    cr_sig sig;
    cr_pubkey pk;
    char *text = NULL;
    size_t len = 0;
    assert_err(cr_sig_load(fifo, &sig, &e), &e, CR_EINPUT, "not a regular file");
    assert_err(cr_pubkey_load(fifo, &pk, &e), &e, CR_EINPUT, "not a regular file");
    assert_err(cr_read_file(fifo, 4096, &text, &len, &e), &e, CR_EINPUT, fifo);
    assert_null(text);
    assert_err(cr_read_file("/dev/null", 4096, &text, &len, &e), &e, CR_EINPUT,
               "not a regular file");
    free(fifo);
}

/* minisign's own scrypt cost (1 GiB): one round trip. */
static void test_seckey_default_cost(void **state)
{
    cr_err e = {0};
    char *path = tu_path(*state, "k.key");
    cr_seckey *sk = NULL, *back = NULL;
    cr_pubkey pk, pk2;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    assert_int_equal(cr_seckey_save(path, sk, "pass phrase", 0, &e), CR_OK);
    unsigned char bin[158];
    read_seckey_bin(path, bin);
    assert_memory_equal(bin + 38, "\x00\x00\x00\x02\x00\x00\x00\x00", 8); /* 33554432 */
    assert_memory_equal(bin + 46, "\x00\x00\x00\x40\x00\x00\x00\x00", 8); /* 1 GiB */
    assert_int_equal(cr_seckey_load(path, "pass phrase", &back, NULL, &e), CR_OK);
    cr_seckey_pubkey(back, &pk2);
    assert_memory_equal(&pk, &pk2, sizeof pk);
    cr_seckey_free(back);
    cr_seckey_free(sk);
    free(path);
}

static void test_seckey_file_safety(void **state)
{
    cr_err e = {0};
    char *path = tu_path(*state, "k.key");
    char *link = tu_path(*state, "link.key");
    cr_seckey *sk = NULL, *back = NULL;
    cr_pubkey pk;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    assert_int_equal(cr_seckey_save(path, sk, NULL, 0, &e), CR_OK);

    /* No overwrite without force. */
    assert_err(cr_seckey_save(path, sk, NULL, 0, &e), &e, CR_EINPUT, "already exists");

    /* Group/other access refused with the exact chmod hint. */
    char hint[1100];
    snprintf(hint, sizeof hint, "chmod 600 %s", path);
    assert_int_equal(chmod(path, 0644), 0);
    assert_err(cr_seckey_load(path, NULL, &back, NULL, &e), &e, CR_EINPUT, hint);
    assert_null(back);
    assert_int_equal(cr_seckey_is_encrypted(path), -1);
    assert_int_equal(chmod(path, 0640), 0);
    assert_err(cr_seckey_load(path, NULL, &back, NULL, &e), &e, CR_EINPUT, hint);
    assert_int_equal(chmod(path, 0604), 0);
    assert_err(cr_seckey_load(path, NULL, &back, NULL, &e), &e, CR_EINPUT, hint);

    /* force replaces it with a fresh 0600 file. */
    assert_int_equal(cr_seckey_save(path, sk, NULL, 1, &e), CR_OK);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(cr_seckey_load(path, NULL, &back, NULL, &e), CR_OK);
    cr_seckey_free(back);
    back = NULL;

    /* Symlinks: not read through, not written through. */
    assert_int_equal(symlink(path, link), 0);
    assert_err(cr_seckey_load(link, NULL, &back, NULL, &e), &e, CR_EINPUT, "symbolic link");
    assert_null(back);
    assert_err(cr_seckey_save(link, sk, NULL, 0, &e), &e, CR_EINPUT, "already exists");
    /* --force replaces regular files only: the link stays, its target too */
    assert_err(cr_seckey_save(link, sk, NULL, 1, &e), &e, CR_EINPUT, "not a regular file");
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));

    /* Missing file, directory, public key given as secret key. */
    char *missing = tu_path(*state, "missing.key");
    assert_err(cr_seckey_load(missing, NULL, &back, NULL, &e), &e, CR_EINPUT, missing);
    assert_err(cr_seckey_load(*state, NULL, &back, NULL, &e), &e, CR_EINPUT, "directory");
    char *pubpath = tu_path(*state, "k.pub");
    assert_int_equal(cr_pubkey_save(pubpath, &pk, 0, &e), CR_OK);
    assert_int_equal(chmod(pubpath, 0600), 0);
    assert_err(cr_seckey_load(pubpath, NULL, &back, NULL, &e), &e, CR_EINPUT,
               "line 2: data is 42 bytes, expected 158");

    cr_seckey_free(sk);
    free(pubpath);
    free(missing);
    free(link);
    free(path);
}

/* ---- signatures ---- */

static const char DOC[] = "scope-register/1\nversion: 3\nitems: 2\n";

static void test_sign_verify(void **state)
{
    (void)state;
    cr_err e = {0};
    cr_seckey *sk = NULL, *other = NULL;
    cr_pubkey pk, opk;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    assert_int_equal(cr_keygen(&other, &opk, &e), CR_OK);
    cr_sig s, parsed;
    const char *tc = "register:R1\tversion:3\trole:provider\thash:blake2b-256:00";
    assert_int_equal(cr_sign(sk, DOC, strlen(DOC), tc, NULL, &s, &e), CR_OK);
    assert_int_equal(s.prehashed, 1);
    assert_memory_equal(s.keyid, pk.keyid, CR_KEYID_BYTES);
    assert_string_equal(s.trusted, tc);
    assert_int_equal(cr_verify(&pk, &s, DOC, strlen(DOC), &e), CR_OK);

    /* Round trip through the file format. */
    char *text = cr_sig_format(&s);
    assert_non_null(text);
    static const char head[] = "untrusted comment: signature from scopereg secret key\nRU";
    assert_true(strncmp(text, head, strlen(head)) == 0); /* "ED" starts "RU" in base64 */
    assert_int_equal(cr_sig_parse(text, strlen(text), &parsed, &e), CR_OK);
    assert_memory_equal(&s, &parsed, sizeof s);
    assert_int_equal(cr_verify(&pk, &parsed, DOC, strlen(DOC), &e), CR_OK);
    free(text);

    /* Tampered message. */
    char doc2[sizeof DOC];
    memcpy(doc2, DOC, sizeof DOC);
    doc2[26] = '4';
    assert_err(cr_verify(&pk, &s, doc2, strlen(doc2), &e), &e, CR_FAIL,
               "signature does not verify");
    assert_err(cr_verify(&pk, &s, DOC, strlen(DOC) - 1, &e), &e, CR_FAIL,
               "signature does not verify");
    /* Tampered trusted comment. */
    cr_sig t = s;
    t.trusted[strlen(t.trusted) - 1] = '1';
    assert_err(cr_verify(&pk, &t, DOC, strlen(DOC), &e), &e, CR_FAIL, "trusted comment");
    /* Untrusted comment is free to change. */
    t = s;
    strcpy(t.untrusted, "anything");
    assert_int_equal(cr_verify(&pk, &t, DOC, strlen(DOC), &e), CR_OK);
    /* Tampered signature / global signature. */
    t = s;
    t.sig[10] ^= 0x01;
    assert_int_equal(cr_verify(&pk, &t, DOC, strlen(DOC), &e), CR_FAIL);
    t = s;
    t.global_sig[63] ^= 0x80;
    assert_err(cr_verify(&pk, &t, DOC, strlen(DOC), &e), &e, CR_FAIL, "global signature");
    /* Prehashed flag flipped: a legacy check of the same bytes fails. */
    t = s;
    t.prehashed = 0;
    assert_int_equal(cr_verify(&pk, &t, DOC, strlen(DOC), &e), CR_FAIL);
    /* Another key: key id mismatch named. */
    char id1[CR_KEYID_HEX], id2[CR_KEYID_HEX];
    cr_keyid_hex(s.keyid, id1);
    cr_keyid_hex(opk.keyid, id2);
    assert_err(cr_verify(&opk, &s, DOC, strlen(DOC), &e), &e, CR_FAIL, id1);
    assert_non_null(strstr(e.msg, id2));
    /* Another key with the same id (forged id): signature fails. */
    memcpy(opk.keyid, pk.keyid, CR_KEYID_BYTES);
    assert_int_equal(cr_verify(&opk, &s, DOC, strlen(DOC), &e), CR_FAIL);

    /* Bad comments refused at signing. */
    assert_err(cr_sign(sk, DOC, strlen(DOC), "two\nlines", NULL, &t, &e), &e, CR_EINPUT,
               "trusted comment contains a line break");
    assert_err(cr_sign(sk, DOC, strlen(DOC), "ok", "cr\r", &t, &e), &e, CR_EINPUT,
               "untrusted comment contains a line break");
    char big[CR_COMMENT_MAX + 1];
    memset(big, 'a', CR_COMMENT_MAX);
    big[CR_COMMENT_MAX] = '\0';
    assert_err(cr_sign(sk, DOC, strlen(DOC), big, NULL, &t, &e), &e, CR_EINPUT, "longer than");
    big[CR_COMMENT_MAX - 1] = '\0'; /* the longest accepted */
    assert_int_equal(cr_sign(sk, "", 0, big, "", &t, &e), CR_OK);
    assert_int_equal(cr_verify(&pk, &t, "", 0, &e), CR_OK);

    /* Plain detached signatures pair with cr_ed25519_verify. */
    unsigned char raw[CR_SIG_BYTES];
    assert_int_equal(cr_seckey_sign_detached(sk, raw, DOC, strlen(DOC)), CR_OK);
    assert_int_equal(cr_ed25519_verify(raw, (const unsigned char *)DOC, strlen(DOC), pk.pk),
                     CR_OK);
    raw[0] ^= 1;
    assert_int_equal(cr_ed25519_verify(raw, (const unsigned char *)DOC, strlen(DOC), pk.pk),
                     CR_FAIL);

    cr_seckey_free(other);
    cr_seckey_free(sk);
}

/* Streaming prehash: the same signature as cr_sign, byte for byte. */
static void test_prehashed(void **state)
{
    (void)state;
    cr_err e = {0};
    cr_seckey *sk = NULL;
    cr_pubkey pk;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    cr_prehash p;
    unsigned char h[CR_PREHASH_BYTES], h2[CR_PREHASH_BYTES];
    cr_prehash_init(&p);
    cr_prehash_update(&p, DOC, 5);
    cr_prehash_update(&p, DOC + 5, strlen(DOC) - 5);
    cr_prehash_final(&p, h);
    crypto_generichash(h2, sizeof h2, (const unsigned char *)DOC, strlen(DOC), NULL, 0);
    assert_memory_equal(h, h2, sizeof h);

    cr_sig a, b;
    assert_int_equal(cr_sign(sk, DOC, strlen(DOC), "tc", "uc", &a, &e), CR_OK);
    assert_int_equal(cr_sign_prehashed(sk, h, "tc", "uc", &b, &e), CR_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(cr_verify_prehashed(&pk, &a, h, &e), CR_OK);
    h[0] ^= 1;
    assert_err(cr_verify_prehashed(&pk, &a, h, &e), &e, CR_FAIL, "signature does not verify");
    h[0] ^= 1;
    b.trusted[0] = 'T';
    assert_err(cr_verify_prehashed(&pk, &b, h, &e), &e, CR_FAIL, "global signature");
    b = a;
    b.prehashed = 0;
    assert_err(cr_verify_prehashed(&pk, &b, h, &e), &e, CR_FAIL, "legacy");
    assert_err(cr_sign_prehashed(sk, h, "a\nb", NULL, &b, &e), &e, CR_EINPUT, "line break");
    cr_seckey_free(sk);
}

static void test_sig_parse_bad(void **state)
{
    (void)state;
    cr_err e = {0};
    cr_seckey *sk = NULL;
    cr_pubkey pk;
    cr_sig s;
    assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
    assert_int_equal(cr_sign(sk, DOC, strlen(DOC), "tc", "uc", &s, &e), CR_OK);
    char *good = cr_sig_format(&s);
    assert_non_null(good);
    /* Split the good file into its four lines. */
    char l[4][256];
    const char *p = good;
    for (int i = 0; i < 4; i++) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        snprintf(l[i], sizeof l[i], "%.*s", (int)(nl - p), p);
        p = nl + 1;
    }
    char t[2048];
    cr_sig out;
#define PARSE_ERR(want, ...)                                                          \
    do {                                                                              \
        snprintf(t, sizeof t, __VA_ARGS__);                                           \
        memset(&e, 0, sizeof e);                                                      \
        assert_err(cr_sig_parse(t, strlen(t), &out, &e), &e, CR_EINPUT, want);        \
    } while (0)

    /* Sanity: CRLF and trailing blank lines are fine. */
    snprintf(t, sizeof t, "%s\r\n%s\r\n%s\r\n%s\r\n\n", l[0], l[1], l[2], l[3]);
    assert_int_equal(cr_sig_parse(t, strlen(t), &out, &e), CR_OK);
    assert_int_equal(cr_verify(&pk, &out, DOC, strlen(DOC), &e), CR_OK);

    PARSE_ERR("line 1: missing", "%s", "");
    PARSE_ERR("line 3: missing", "%s\n%s\n", l[0], l[1]);
    PARSE_ERR("line 4: missing", "%s\n%s\n%s\n", l[0], l[1], l[2]);
    PARSE_ERR("line 1: does not start with \"untrusted comment: \"", "comment: x\n%s\n%s\n%s\n",
              l[1], l[2], l[3]);
    PARSE_ERR("line 3: does not start with \"trusted comment: \"", "%s\n%s\ntrusted: x\n%s\n",
              l[0], l[1], l[3]);
    PARSE_ERR("line 2: not valid base64", "%s\n%.60s!%s\n%s\n%s\n", l[0], l[1], l[1] + 61, l[2],
              l[3]);
    PARSE_ERR("line 2: data is", "%s\n%.40s\n%s\n%s\n", l[0], l[1], l[2], l[3]);
    PARSE_ERR("line 4: not valid base64", "%s\n%s\n%s\n%.50s\n", l[0], l[1], l[2], l[3]);
    PARSE_ERR("line 4: data is 74 bytes, expected 64", "%s\n%s\n%s\n%s\n", l[0], l[1], l[2],
              l[1]);
    PARSE_ERR("line 5: unexpected data", "%s\n%s\n%s\n%s\nmore\n", l[0], l[1], l[2], l[3]);
    /* An unknown algorithm: "Xx" in place of "ED". */
    unsigned char bin[74];
    size_t got;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, l[1], strlen(l[1]), NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    bin[0] = 'X';
    bin[1] = 'x';
    char b64[128];
    cr_base64(b64, sizeof b64, bin, sizeof bin);
    PARSE_ERR("line 2: unsupported signature algorithm \"Xx\"", "%s\n%s\n%s\n%s\n", l[0], b64,
              l[2], l[3]);
    /* Comments too long for the struct. */
    char longc[CR_COMMENT_MAX + 1];
    memset(longc, 'c', CR_COMMENT_MAX);
    longc[CR_COMMENT_MAX] = '\0';
    PARSE_ERR("line 3: comment is longer than", "%s\n%s\ntrusted comment: %s\n%s\n", l[0], l[1],
              longc, l[3]);
    /* A NUL inside a comment. */
    snprintf(t, sizeof t, "%s\n%s\n%s\n%s\n", l[0], l[1], l[2], l[3]);
    size_t tl = strlen(t);
    t[strlen(l[0]) + 1 + strlen(l[1]) + 1 + 17] = '\0'; /* first byte of the trusted text */
    assert_err(cr_sig_parse(t, tl, &out, &e), &e, CR_EINPUT, "line 3: comment contains a NUL");
#undef PARSE_ERR
    free(good);
    cr_seckey_free(sk);
}

/* ---- corpus: signatures minisign and other implementations made ---- */

static void verify_corpus(const char *dir, const char *pub, const char *msgfile,
                          const char *sigfile, int prehashed)
{
    char rel[512];
    snprintf(rel, sizeof rel, "minisign/%s/%s", dir, sigfile);
    char *sigpath = tu_corpus(rel);
    if (!sigpath)
        skip(); /* tu_corpus printed "skipped: ..." */
    snprintf(rel, sizeof rel, "minisign/%s", pub);
    char *pubpath = tu_corpus(rel);
    snprintf(rel, sizeof rel, "minisign/%s/%s", dir, msgfile);
    char *msgpath = tu_corpus(rel);
    assert_non_null(pubpath);
    assert_non_null(msgpath);
    cr_err e = {0};
    cr_pubkey pk;
    cr_sig s;
    if (cr_pubkey_load(pubpath, &pk, &e) != CR_OK || cr_sig_load(sigpath, &s, &e) != CR_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(s.prehashed, prehashed);
    size_t len;
    char *msg = tu_slurp(msgpath, &len);
    assert_non_null(msg);
    if (cr_verify(&pk, &s, msg, len, &e) != CR_OK)
        fail_msg("%s: %s", sigpath, e.msg);
    /* Formatting the parsed signature gives the file back. */
    char *orig = tu_slurp(sigpath, NULL), *again = cr_sig_format(&s);
    assert_string_equal(orig, again);
    free(orig);
    free(again);
    /* One changed byte of the message fails. */
    if (len > 0) {
        msg[0] ^= 0x20;
        assert_int_equal(cr_verify(&pk, &s, msg, len, &e), CR_FAIL);
    }
    free(msg);
    free(msgpath);
    free(pubpath);
    free(sigpath);
}

static void test_corpus_minisign(void **state)
{
    (void)state;
    verify_corpus("aead-minisign", "aead-minisign/minisign.pub", "message.txt",
                  "message.txt.minisig", 0);
    verify_corpus("rust-minisign-verify/legacy", "rust-minisign-verify/minisign.pub", "test",
                  "test.minisig", 0);
    verify_corpus("rust-minisign-verify/prehashed", "rust-minisign-verify/minisign.pub", "test",
                  "test.minisig", 1);

    /* Upstream's negative case: the same signatures over "Test" fail. */
    char *pub = tu_corpus("minisign/rust-minisign-verify/minisign.pub");
    if (!pub)
        skip();
    cr_err e = {0};
    cr_pubkey pk;
    assert_int_equal(cr_pubkey_load(pub, &pk, &e), CR_OK);
    char id[CR_KEYID_HEX];
    cr_keyid_hex(pk.keyid, id);
    assert_string_equal(id, MINISIGN_KEYID);
    const char *sigs[] = {"minisign/rust-minisign-verify/legacy/test.minisig",
                          "minisign/rust-minisign-verify/prehashed/test.minisig"};
    for (int i = 0; i < 2; i++) {
        char *sp = tu_corpus(sigs[i]);
        assert_non_null(sp);
        cr_sig s;
        assert_int_equal(cr_sig_load(sp, &s, &e), CR_OK);
        assert_int_equal(cr_verify(&pk, &s, "test", 4, &e), CR_OK);
        assert_err(cr_verify(&pk, &s, "Test", 4, &e), &e, CR_FAIL, "signature does not verify");
        free(sp);
    }
    free(pub);
}

/* ---- Ed25519 vectors ---- */

static void test_rfc8032(void **state)
{
    (void)state;
    char *path = tu_corpus("rfc8032/vectors.txt");
    if (!path)
        skip();
    size_t len;
    char *text = tu_slurp(path, &len);
    assert_non_null(text);
    const char *p = text, *line;
    size_t left = len, n;
    char *f[4] = {NULL, NULL, NULL, NULL}; /* sk pk msg sig, hex */
    static const char *const keys[4] = {"sk=", "pk=", "msg=", "sig="};
    int count = 0;
    for (;;) {
        int more = cr_next_line(&p, &left, &line, &n);
        if (more && n > 0) {
            int k;
            for (k = 0; k < 4; k++)
                if (n >= strlen(keys[k]) && strncmp(line, keys[k], strlen(keys[k])) == 0)
                    break;
            if (k == 4)
                fail_msg("%s: unexpected line %.*s", path, (int)n, line);
            free(f[k]);
            f[k] = strndup(line + strlen(keys[k]), n - strlen(keys[k]));
            continue;
        }
        if (f[0] && f[1] && f[2] && f[3]) {
            size_t skl, pkl, ml, sl;
            unsigned char *seed = unhex(f[0], &skl), *pk = unhex(f[1], &pkl),
                          *msg = unhex(f[2], &ml), *sig = unhex(f[3], &sl);
            assert_int_equal(skl, 32);
            assert_int_equal(pkl, 32);
            assert_int_equal(sl, 64);
            assert_int_equal(cr_ed25519_verify(sig, msg, ml, pk), CR_OK);
            /* The signature is deterministic: re-signing gives it back. */
            unsigned char pk2[32], sk2[64], sig2[64];
            crypto_sign_seed_keypair(pk2, sk2, seed);
            assert_memory_equal(pk, pk2, 32);
            crypto_sign_detached(sig2, NULL, msg, ml, sk2);
            assert_memory_equal(sig, sig2, 64);
            /* Any flipped bit fails. */
            sig[count % 64] ^= 0x04;
            assert_int_equal(cr_ed25519_verify(sig, msg, ml, pk), CR_FAIL);
            free(seed);
            free(pk);
            free(msg);
            free(sig);
            count++;
        }
        for (int k = 0; k < 4; k++) {
            free(f[k]);
            f[k] = NULL;
        }
        if (!more)
            break;
    }
    assert_int_equal(count, 5);
    printf("rfc8032: %d vectors verified\n", count);
    free(text);
    free(path);
}

static void test_wycheproof(void **state)
{
    (void)state;
    char *path = tu_corpus("wycheproof/ed25519_test.json");
    if (!path)
        skip();
    size_t len;
    char *json = tu_slurp(path, &len);
    assert_non_null(json);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_stmt *st;
    const char *sql =
        "SELECT json_extract(g.value, '$.publicKey.pk'), json_extract(t.value, '$.tcId'),"
        "       json_extract(t.value, '$.msg'), json_extract(t.value, '$.sig'),"
        "       json_extract(t.value, '$.result'),"
        "       (SELECT json_extract(?1, '$.numberOfTests'))"
        "  FROM json_each(?1, '$.testGroups') AS g, json_each(g.value, '$.tests') AS t";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(db));
    assert_int_equal(sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC), SQLITE_OK);
    int total = 0, valid = 0, invalid = 0, declared = -1, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *pkh = (const char *)sqlite3_column_text(st, 0);
        int id = sqlite3_column_int(st, 1);
        const char *msgh = (const char *)sqlite3_column_text(st, 2);
        const char *sigh = (const char *)sqlite3_column_text(st, 3);
        const char *result = (const char *)sqlite3_column_text(st, 4);
        declared = sqlite3_column_int(st, 5);
        assert_non_null(pkh);
        assert_non_null(msgh);
        assert_non_null(sigh);
        assert_non_null(result);
        int expect_ok = strcmp(result, "valid") == 0;
        if (!expect_ok && strcmp(result, "invalid") != 0)
            fail_msg("tcId %d: unexpected result \"%s\"", id, result);
        size_t pkl, ml, sl;
        unsigned char *pk = unhex(pkh, &pkl), *msg = unhex(msgh, &ml), *sig = unhex(sigh, &sl);
        assert_int_equal(pkl, 32);
        /* A signature of the wrong length cannot even be presented. */
        int got_ok = sl == CR_SIG_BYTES && cr_ed25519_verify(sig, msg, ml, pk) == CR_OK;
        if (got_ok != expect_ok)
            fail_msg("wycheproof tcId %d: expected %s, got %s", id, result,
                     got_ok ? "valid" : "invalid");
        total++;
        expect_ok ? valid++ : invalid++;
        free(pk);
        free(msg);
        free(sig);
    }
    assert_int_equal(rc, SQLITE_DONE);
    assert_int_equal(total, declared);
    assert_int_equal(total, 151);
    printf("wycheproof: %d tests (%d valid, %d invalid) agree\n", total, valid, invalid);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(json);
    free(path);
}

/* ---- interop with the minisign binary ---- */

static void test_minisign_interop(void **state)
{
    if (!have_minisign()) {
        printf("skipped: minisign is not on PATH (interop with minisign not tested)\n");
        skip();
    }
    const char *dir = *state;
    cr_err e = {0};
    char msgpath[1024], sigpath[1024];
    snprintf(msgpath, sizeof msgpath, "%s/doc.scope", dir);
    snprintf(sigpath, sizeof sigpath, "%s/doc.scope.minisig", dir);
    assert_int_equal(tu_write(msgpath, DOC, strlen(DOC)), 0);

    /* 1. Keys minisign made (unencrypted, then encrypted): scopereg loads
     *    them and signs; minisign -V accepts. */
    for (int enc = 0; enc < 2; enc++) {
        const char *pass = enc ? "interop pass" : NULL;
        assert_int_equal(run("cd '%s' && %s minisign -G -f %s -p ms%d.pub -s ms%d.key >/dev/null 2>&1",
                             dir, enc ? "printf 'interop pass\\ninterop pass\\n' |" : "",
                             enc ? "" : "-W", enc, enc),
                         0);
        char kp[1024], pp[1024];
        snprintf(kp, sizeof kp, "%s/ms%d.key", dir, enc);
        snprintf(pp, sizeof pp, "%s/ms%d.pub", dir, enc);
        assert_int_equal(cr_seckey_is_encrypted(kp), enc);
        cr_seckey *sk = NULL;
        if (cr_seckey_load(kp, pass, &sk, NULL, &e) != CR_OK)
            fail_msg("%s", e.msg);
        cr_pubkey pk, pk2;
        assert_int_equal(cr_pubkey_load(pp, &pk, &e), CR_OK);
        cr_seckey_pubkey(sk, &pk2);
        assert_memory_equal(&pk, &pk2, sizeof pk);
        cr_sig s;
        assert_int_equal(cr_sign(sk, DOC, strlen(DOC), "role:client\tversion:3", NULL, &s, &e),
                         CR_OK);
        char *text = cr_sig_format(&s);
        assert_int_equal(cr_write_file(sigpath, text, strlen(text), 0644, 1, &e), CR_OK);
        free(text);
        assert_int_equal(run("minisign -Vq -p '%s' -m '%s'", pp, msgpath), 0);
        /* and refuses it for other bytes */
        assert_int_equal(tu_write(msgpath, "other\n", 6), 0);
        assert_int_not_equal(run("minisign -Vq -p '%s' -m '%s' 2>/dev/null", pp, msgpath), 0);
        assert_int_equal(tu_write(msgpath, DOC, strlen(DOC)), 0);
        cr_seckey_free(sk);
    }

    /* 2. Keys scopereg made (unencrypted; encrypted at a low cost, which
     *    the file records): minisign signs with them, prehashed and legacy;
     *    scopereg verifies, and minisign verifies scopereg's signatures. */
    for (int enc = 0; enc < 2; enc++) {
        char kp[1024], pp[1024];
        snprintf(kp, sizeof kp, "%s/sr%d.key", dir, enc);
        snprintf(pp, sizeof pp, "%s/sr%d.pub", dir, enc);
        cr_seckey *sk = NULL;
        cr_pubkey pk;
        assert_int_equal(cr_keygen(&sk, &pk, &e), CR_OK);
        assert_int_equal(cr_seckey_save_kdf(kp, sk, enc ? "pw two" : NULL, LOW_OPS, LOW_MEM, 0, &e),
                         CR_OK);
        assert_int_equal(cr_pubkey_save(pp, &pk, 0, &e), CR_OK);
        for (int legacy = 0; legacy < 2; legacy++) {
            assert_int_equal(run("%s minisign -S %s -s '%s' -m '%s' -t 'tc %d' %s >/dev/null 2>&1",
                                 enc ? "printf 'pw two\\n' |" : "", legacy ? "-l" : "", kp,
                                 msgpath, legacy, enc ? "" : "</dev/null"),
                             0);
            cr_sig s;
            assert_int_equal(cr_sig_load(sigpath, &s, &e), CR_OK);
            assert_int_equal(s.prehashed, !legacy);
            if (cr_verify(&pk, &s, DOC, strlen(DOC), &e) != CR_OK)
                fail_msg("%s", e.msg);
            char want[16];
            snprintf(want, sizeof want, "tc %d", legacy);
            assert_string_equal(s.trusted, want);
        }
        cr_sig s;
        assert_int_equal(cr_sign(sk, DOC, strlen(DOC), "by scopereg", "u", &s, &e), CR_OK);
        char *text = cr_sig_format(&s);
        assert_int_equal(cr_write_file(sigpath, text, strlen(text), 0644, 1, &e), CR_OK);
        free(text);
        assert_int_equal(run("minisign -Vq -p '%s' -m '%s'", pp, msgpath), 0);
        cr_seckey_free(sk);
    }
}

int main(void)
{
    cr_err e = {0};
    if (cr_init(&e) != CR_OK) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_memcmp_random),
        cmocka_unit_test(test_pubkey_parse_good),
        cmocka_unit_test(test_pubkey_parse_bad),
        cmocka_unit_test_setup_teardown(test_pubkey_save_load, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_seckey_unencrypted, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_seckey_encrypted, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_write_file_force, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_seckey_default_cost, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_seckey_limits_capped, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_read_fifo_refused, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_seckey_file_safety, setup_dir, teardown_dir),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_prehashed),
        cmocka_unit_test(test_sig_parse_bad),
        cmocka_unit_test(test_corpus_minisign),
        cmocka_unit_test(test_rfc8032),
        cmocka_unit_test(test_wycheproof),
        cmocka_unit_test_setup_teardown(test_minisign_interop, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
