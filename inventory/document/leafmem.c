/*
 * leafmem.c - leaf hashes kept by item revision from one rendering to the
 * next (leafmem.h): the last rendering's records are read in id order
 * beside the current rendering's blocks, which are written to a second
 * file; the two files swap at the end. Both go through a buffer of their
 * own (a record is a few dozen bytes, a stdio call each would cost more
 * than the hash it saves).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document_int.h"
#include "leafmem.h"

/* A record: revision (8 bytes), id length (4), hash (32), id. */
#define HEAD 44
#define CHUNK (64 * 1024)

typedef struct side {
    FILE *f;
    char *buf;
    size_t cap, at, len; /* read: next byte, bytes held; write: bytes held in len */
    size_t n;            /* records written (the file is never shortened) */
    int ok;
} side;

struct inv__leafmem {
    side last, now;        /* what the last rendering kept; this one's */
    int last_format, format;
    size_t left;           /* records of last not read yet */
};

static int side_open(side *s)
{
    s->f = inv__tmpfile("leafmem");
    s->buf = malloc(CHUNK);
    s->cap = CHUNK;
    return s->f && s->buf ? 0 : -1;
}

inv__leafmem *inv__leafmem_new(void)
{
    inv__leafmem *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (side_open(&m->last) || side_open(&m->now)) {
        inv__leafmem_free(m);
        return NULL;
    }
    return m;
}

void inv__leafmem_begin(inv__leafmem *m, int format)
{
    m->format = format;
    m->now.ok = 1;
    m->now.n = m->now.len = 0;
    rewind(m->now.f);
    m->last.at = m->last.len = 0;
    if (m->last.ok && m->last_format == format) {
        rewind(m->last.f);
        m->left = m->last.n;
    } else {
        m->last.ok = 0;
        m->left = 0;
    }
}

/* Makes the next `need` bytes of last readable at last.buf + last.at;
 * 0 when they cannot be (reuse then stops for this rendering). */
static int have(side *s, size_t need)
{
    if (s->len - s->at >= need)
        return 1;
    memmove(s->buf, s->buf + s->at, s->len - s->at);
    s->len -= s->at;
    s->at = 0;
    if (need > s->cap) {
        char *b = realloc(s->buf, need);
        if (!b)
            return s->ok = 0;
        s->buf = b;
        s->cap = need;
    }
    s->len += fread(s->buf + s->len, 1, s->cap - s->len, s->f);
    return s->len >= need ? 1 : (s->ok = 0);
}

int inv__leafmem_find(inv__leafmem *m, int64_t rev, const char *id, unsigned char hash[32])
{
    side *s = &m->last;
    size_t idlen = strlen(id);
    while (s->ok && m->left) {
        uint32_t n;
        if (!have(s, HEAD))
            return 0;
        memcpy(&n, s->buf + s->at + 8, 4);
        if (!have(s, HEAD + (size_t)n))
            return 0;
        const char *p = s->buf + s->at;
        size_t k = idlen < n ? idlen : n;
        int c = memcmp(p + HEAD, id, k);
        if (c == 0)
            c = n < idlen ? -1 : n > idlen;
        if (c > 0) /* this item is new since */
            return 0;
        s->at += HEAD + (size_t)n;
        m->left--;
        if (c == 0) {
            int64_t r;
            memcpy(&r, p, 8);
            if (r != rev)
                return 0; /* the item changed since */
            memcpy(hash, p + 12, 32);
            return 1;
        }
        /* c < 0: an item gone since */
    }
    return 0;
}

static int flush_now(side *s)
{
    if (s->len && fwrite(s->buf, 1, s->len, s->f) != s->len)
        s->ok = 0;
    s->len = 0;
    return s->ok;
}

void inv__leafmem_keep(inv__leafmem *m, int64_t rev, const char *id,
                       const unsigned char hash[32])
{
    side *s = &m->now;
    size_t n = strlen(id);
    if (!s->ok || HEAD + n > CHUNK) { /* an id that long is hashed each time */
        s->ok = 0;
        return;
    }
    if (s->cap - s->len < HEAD + n && !flush_now(s))
        return;
    char *p = s->buf + s->len;
    uint32_t n32 = (uint32_t)n;
    memcpy(p, &rev, 8);
    memcpy(p + 8, &n32, 4);
    memcpy(p + 12, hash, 32);
    memcpy(p + HEAD, id, n);
    s->len += HEAD + n;
    s->n++;
}

void inv__leafmem_end(inv__leafmem *m, int ok)
{
    side t = m->last;
    m->last = m->now;
    m->now = t;
    m->last.ok = ok && m->last.ok && flush_now(&m->last) && fflush(m->last.f) == 0;
    m->last.at = m->last.len = 0;
    m->last_format = m->format;
    m->left = 0;
}

void inv__leafmem_free(inv__leafmem *m)
{
    if (!m)
        return;
    side *s[2] = {&m->last, &m->now};
    for (int i = 0; i < 2; i++) {
        if (s[i]->f)
            fclose(s[i]->f);
        free(s[i]->buf);
    }
    free(m);
}
